package io.contentplane.domain.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionsTest {

    @Test
    void theTableCoversEveryAssignedCodeAndEveryContinent() {
        Map<String, String> table = Regions.load();
        assertEquals(249, table.size());
        assertEquals(new TreeSet<>(Regions.CONTINENTS), new TreeSet<>(table.values()));
        // a sample of the ISO 3166-1 list, including the latest additions (BQ, CW, SX 2010; SS 2011)
        for (String code : Set.of("AD", "AX", "BQ", "CW", "SS", "SX", "ZW", "PS", "TW", "UM", "VA")) {
            assertTrue(table.containsKey(code), code);
        }
        // user-assigned and withdrawn codes are not countries
        for (String code : Set.of("XK", "EU", "UK", "AN", "YU", "CS", "ZZ")) {
            assertFalse(table.containsKey(code), code);
        }
    }

    @ParameterizedTest
    @CsvSource({"PL,Europe", "DE,Europe", "RU,Europe", "CY,Europe", "TR,Asia", "JP,Asia", "KZ,Asia", "EG,Africa", "ZA,Africa",
            "US,NorthAmerica", "MX,NorthAmerica", "PA,NorthAmerica", "GL,NorthAmerica", "BR,SouthAmerica", "FK,SouthAmerica",
            "AU,Oceania", "NZ,Oceania", "UM,Oceania", "AQ,Antarctica", "TF,Antarctica", "BV,Antarctica"})
    void countriesLieOnTheirContinents(String country, String continent) {
        assertEquals(Optional.of(continent), Regions.continentOf(country));
        assertTrue(Regions.isCountry(country));
    }

    @Test
    void unknownCodesHaveNoContinent() {
        assertEquals(Optional.empty(), Regions.continentOf("ZZ"));
        assertEquals(Optional.empty(), Regions.continentOf("pl"));
        assertEquals(Optional.empty(), Regions.continentOf(null));
        assertFalse(Regions.isCountry("pl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Default", "COUNTRY-PL", "COUNTRY-SS", "CONTINENT-Europe", "CONTINENT-NorthAmerica", "CONTINENT-Antarctica"})
    void regionKeys(String key) {
        assertTrue(Regions.isRegionKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "DEFAULT", "COUNTRY-", "COUNTRY-pl", "COUNTRY-ZZ", "COUNTRY-POL", "CONTINENT-europe",
            "CONTINENT-North America", "CONTINENT-", "PL", "Europe", "REGION-PL"})
    void notRegionKeys(String key) {
        assertFalse(Regions.isRegionKey(key));
    }
}
