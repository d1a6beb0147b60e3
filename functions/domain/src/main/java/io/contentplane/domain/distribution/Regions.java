package io.contentplane.domain.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Region keys of route targets: {@code Default}, {@code COUNTRY-<ISO 3166-1 alpha-2>} and
 * {@code CONTINENT-<name>}. The country-to-continent table is data ({@code countries.csv}, every
 * officially assigned ISO 3166-1 code), read once on first use.
 */
public final class Regions {
    public static final String DEFAULT = "Default";
    public static final String COUNTRY_PREFIX = "COUNTRY-";
    public static final String CONTINENT_PREFIX = "CONTINENT-";
    public static final List<String> CONTINENTS =
            List.of("Africa", "Antarctica", "Asia", "Europe", "NorthAmerica", "Oceania", "SouthAmerica");
    static final String RESOURCE = "/countries.csv";

    private Regions() {
    }

    /** Loaded when first asked for, so a cold start that never resolves never reads the file. */
    private static final class Table {
        static final Map<String, String> CONTINENT_BY_COUNTRY = load();
    }

    public static boolean isCountry(String code) {
        return code != null && Table.CONTINENT_BY_COUNTRY.containsKey(code);
    }

    /** The continent of an ISO 3166-1 alpha-2 code (upper case), empty for anything else. */
    public static Optional<String> continentOf(String country) {
        return Optional.ofNullable(country == null ? null : Table.CONTINENT_BY_COUNTRY.get(country));
    }

    /** Whether {@code key} is a target key: Default, COUNTRY- with a real code, or CONTINENT- with one of the seven names. */
    public static boolean isRegionKey(String key) {
        if (DEFAULT.equals(key)) {
            return true;
        }
        if (key.startsWith(COUNTRY_PREFIX)) {
            return isCountry(key.substring(COUNTRY_PREFIX.length()));
        }
        return key.startsWith(CONTINENT_PREFIX) && CONTINENTS.contains(key.substring(CONTINENT_PREFIX.length()));
    }

    static Map<String, String> load() {
        try (InputStream in = Regions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> table = new HashMap<>();
            boolean header = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) { // code,continent,name
                    header = false;
                    continue;
                }
                String[] columns = line.split(",", 3);
                if (columns.length < 2 || !columns[0].matches("[A-Z]{2}") || !CONTINENTS.contains(columns[1])
                        || table.put(columns[0], columns[1]) != null) {
                    throw new IllegalStateException(RESOURCE + ": bad or repeated line: " + line);
                }
            }
            return Map.copyOf(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
