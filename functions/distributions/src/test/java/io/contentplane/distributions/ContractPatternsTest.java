package io.contentplane.distributions;

import io.contentplane.domain.distribution.HostNames;
import io.contentplane.domain.distribution.Identifiers;
import io.contentplane.domain.distribution.RouteResolver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract's patterns ({@link ContractPatterns}, read as JSON Schema reads them: a search) admit
 * exactly what the server's rules admit, on hand-picked edge cases and on random strings of the
 * characters that matter.
 */
class ContractPatternsTest {
    private static final String ALPHABET = "aZ09-._/:?#%@[]~!$&'()*+,;= \n\u00a0\u00e9\u2028\u3000AF";

    @Test
    void domain() {
        agree(ContractPatterns.DOMAIN, HostNames::isDomain,
                "buddy.works", "a.b", "a.1b", "a.123", "1.2.3.4", "-a.com", "a-.com", "a..com", "a.com.", "a.com\n",
                "localhost", "x".repeat(63) + ".com", "x".repeat(64) + ".com", ("a".repeat(60) + ".").repeat(4) + "com", "a.1-2");
    }

    @Test
    void subdomain() {
        agree(ContractPatterns.SUBDOMAIN, s -> s.isEmpty() || HostNames.isSubdomain(s),
                "", "www", "eu.static", "a.", ".a", "-a", "a_b", "www\n", ("a".repeat(60) + ".").repeat(4) + "abc");
    }

    @Test
    void urlPath() {
        Predicate<String> rule = s -> {
            String path = RouteResolver.stripSlashes(s);
            return path.isEmpty() || path.length() <= RouteRequests.MAX_PATH && RouteRequests.PATH.matcher(path).matches();
        };
        agree(ContractPatterns.URL_PATH, rule, "", "/", "//", "asd", "/asd/", "a//b", "a b", "a?b", "a#b", "%zz", "a/\n",
                "a".repeat(1024), "/" + "a".repeat(1024) + "///", "a".repeat(1025), "a/".repeat(512), "a/".repeat(512) + "b");
    }

    @Test
    void externalUrl() {
        agree(ContractPatterns.EXTERNAL_URL, HostNames::isExternalUrl,
                "kordos.com", "1.2.3.4", "256.1.1.1", "https://kordos.com", "HTTP://a.bc/x?y=1&z[]=2", "ftp://a.bc",
                "http://a.1b", "http://1.2.3.4:8080/", "http://a.bc:0", "http://a.bc:65535", "http://a.bc:65536",
                "http://a.bc:/", "http://a.bc:000080", "http://u@a.bc", "http://a.bc#f", "http://a.bc/%41", "http://a.bc/%4",
                "http://a.bc/\u00e9", "http://a.bc/\u00a0", "http://a.bc/ x", "http://a.bc/a\"b", "http://a.bc?\u3000",
                "http://localhost", "http://a.bc.", "a.com/x://", "http://a_b.com", "http://[::1]/", "http://a.bc/|");
    }

    @Test
    void requestHost() {
        agree(ContractPatterns.REQUEST_HOST, s -> !s.isBlank() && DistributionController.isRequestHost(s),
                "a.com", " a.com ", "a.com.", "a.com:80", "a.com.:99999", "a.com:80.", "a.com:", "a.com:123456", "localhost:80",
                "\ta.com", "x".repeat(63) + "." + "y".repeat(63) + "." + "z".repeat(63) + "." + "w".repeat(61) + ".",
                "x".repeat(63) + "." + "y".repeat(63) + "." + "z".repeat(63) + "." + "w".repeat(62));
    }

    @Test
    void identifier() {
        agree("^" + Identifiers.PATTERN + "(?![\\s\\S])", Identifiers::isValid, "a", "_", "-a", "a-", "a-b", "a\n", "x".repeat(100),
                "x".repeat(101));
    }

    private static void agree(String pattern, Predicate<String> rule, String... cases) {
        Pattern schema = Pattern.compile(pattern);
        List<String> all = new ArrayList<>(List.of(cases));
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "http://a.bc" : "");
            for (int n = random.nextInt(12); n > 0; n--) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            all.add(s.toString());
        }
        int valid = 0;
        for (String s : all) {
            boolean expected = rule.test(s);
            assertEquals(expected, schema.matcher(s).find(), () -> "pattern and rule disagree on \"" + s + "\"");
            valid += expected ? 1 : 0;
        }
        assertTrue(valid > 0 && valid < all.size(), "the cases hold valid and invalid values");
    }
}
