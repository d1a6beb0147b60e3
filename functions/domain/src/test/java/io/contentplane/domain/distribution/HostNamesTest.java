package io.contentplane.domain.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"buddy.works", "a.b.c.example", "xn--bcher-kva.example", "example.com222", "1.example", "a-b.io"})
    void domains(String name) {
        assertTrue(HostNames.isDomain(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "a..b", ".a.b", "a.b.", "-a.b", "a-.b", "a_b.c", "10.0.0.1", "a.123", "a b.c"})
    void notDomains(String name) {
        assertFalse(HostNames.isDomain(name));
    }

    @Test
    void domainLengthIsLimited() {
        String label = "a".repeat(63);
        assertTrue(HostNames.isDomain(label + ".com"));
        assertFalse(HostNames.isDomain("a".repeat(64) + ".com"));
        assertFalse(HostNames.isDomain((label + ".").repeat(4) + "com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"www", "testing3", "eu.static", "a-b.c"})
    void subdomains(String name) {
        assertTrue(HostNames.isSubdomain(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a.", "*.a", "a_b", "-a"})
    void notSubdomains(String name) {
        assertFalse(HostNames.isSubdomain(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kordos.com", "testpl.com", "192.0.2.7", "https://example.com", "http://example.com:8080/a/b?c=d",
            "HTTPS://Example.com/", "http://10.0.0.1"})
    void externalUrls(String value) {
        assertTrue(HostNames.isExternalUrl(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "kordos", "ftp://a.com", "https://", "https://user:pw@a.com", "https://a.com/#x", "https://a.com:0",
            "https://a.com:65536", "http://a .com", "javascript:alert(1)", "a.com/path", "999.1.1.1", "https://a.com/\tx"})
    void notExternalUrls(String value) {
        assertFalse(HostNames.isExternalUrl(value));
    }
}
