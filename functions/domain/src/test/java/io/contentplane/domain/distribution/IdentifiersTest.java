package io.contentplane.domain.distribution;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"my-distribution", "a", "_", "A_b-C9", "_x_", "rm1P93jG"})
    void valid(String identifier) {
        assertTrue(Identifiers.isValid(identifier));
    }

    @Test
    void validUpToAHundredCharacters() {
        assertTrue(Identifiers.isValid("a".repeat(100)));
        assertFalse(Identifiers.isValid("a".repeat(101)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "-", "a b", "a.b", "a#b", "zażółć", "a/b"})
    void invalid(String identifier) {
        assertFalse(Identifiers.isValid(identifier));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"My Distribution|my-distribution", "  My -- Great  Thing! |my-great-thing",
            "Über Café|uber-cafe", "snake_case Name|snake_case-name", "2024 Q1|2024-q1", "---x---|x"})
    void madeFromTheName(String name, String identifier) {
        assertEquals(identifier, Identifiers.fromName(name));
        assertTrue(Identifiers.isValid(Identifiers.fromName(name)));
    }

    @Test
    void aNameWithNothingUsableGetsARandomIdentifier() {
        String a = Identifiers.fromName("!!! ???");
        assertTrue(a.matches("[a-z0-9]{8}"), a);
        assertTrue(Identifiers.fromName("日本").matches("[a-z0-9]{8}"));
    }

    @Test
    void longNamesAreCutWithoutATrailingHyphen() {
        String made = Identifiers.fromName("a".repeat(99) + " b");
        assertEquals("a".repeat(99), made);
        assertTrue(Identifiers.isValid(made));
    }

    @Test
    void suffixesKeepIdentifiersValid() {
        assertTrue(Identifiers.withSuffix("my-distribution").matches("my-distribution-[a-z0-9]{6}"));
        String longOne = Identifiers.withSuffix("a".repeat(92) + "-" + "b".repeat(7));
        assertTrue(Identifiers.isValid(longOne), longOne);
        assertEquals(99, longOne.length());
        assertTrue(longOne.startsWith("a".repeat(92) + "-"), longOne);
    }
}
