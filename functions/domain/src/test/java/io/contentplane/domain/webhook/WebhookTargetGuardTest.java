package io.contentplane.domain.webhook;

import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook SSRF guard, on a fake resolver: these tests never touch real DNS. */
class WebhookTargetGuardTest {
    private static final InetAddress PUBLIC = ip("93.184.215.14");

    /** Names resolve from this map; unknown names fail like unresolvable ones. Lookups are recorded. */
    private final Map<String, InetAddress[]> dns = new HashMap<>(Map.of(
            "example.com", new InetAddress[]{PUBLIC},
            "multi.example", new InetAddress[]{PUBLIC, ip("93.184.215.15")},
            "rebind.example", new InetAddress[]{ip("10.1.2.3")},
            "mixed.example", new InetAddress[]{PUBLIC, ip("192.168.0.7")},
            "v6.example", new InetAddress[]{ip("2606:2800:21f:cb07:6820:80da:af6b:8b2c")}));
    private final List<String> lookups = new ArrayList<>();
    private final WebhookTargetGuard.Resolver resolver = host -> {
        lookups.add(host);
        InetAddress[] addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };
    private final WebhookTargetGuard guard = new WebhookTargetGuard(false, resolver);
    private final WebhookTargetGuard insecure = new WebhookTargetGuard(true, resolver);

    /** Parses an IP literal; never a lookup. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com",
            "https://example.com/",
            "https://example.com222",        // host names are not checked against a list of top-level domains
            "https://my-hooks.example",
            "https://hooks.example.com:8443",
            "https://multi.example",
            "https://v6.example",
            "HTTPS://Example.COM",
            "https://93.184.215.14",
            "https://[2001:db8::1]",
            "https://[2606:4700::1111]:443"})
    void acceptsPublicHttpsHosts(String host) {
        assertEquals(List.of(), guard.checkHost(host));
    }

    @Test
    void acceptsUnresolvableNamesBecauseDeliveryChecksThemAgain() {
        assertEquals(List.of(), guard.checkHost("https://example.com222"));
        assertEquals(List.of("example.com222"), lookups);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://example.com                | must be an https:// URL
            ftp://example.com                 | must be an https:// URL
            https:example.com                 | must be an https:// URL
            //example.com                     | must be an https:// URL
            not a url                         | is not a valid URL
            https://exa mple.com              | is not a valid URL
            https://127.0.0.1                 | must not point to an internal address
            https://[::1]                     | must not point to an internal address
            https://0.0.0.0                   | must not point to an internal address
            https://[::]                      | must not point to an internal address
            https://10.0.0.5                  | must not point to an internal address
            https://172.16.3.4                | must not point to an internal address
            https://192.168.1.1               | must not point to an internal address
            https://169.254.169.254           | must not point to an internal address
            https://[fe80::1]                 | must not point to an internal address
            https://[fd00:ec2::254]           | must not point to an internal address
            https://[::ffff:127.0.0.1]        | must not point to an internal address
            https://[::ffff:a9fe:a9fe]        | must not point to an internal address
            https://[64:ff9b::a9fe:a9fe]      | must not point to an internal address
            https://100.64.0.1                | must not point to an internal address
            https://224.0.0.1                 | must not point to an internal address
            https://[ff02::1]                 | must not point to an internal address
            https://255.255.255.255           | must not point to an internal address
            https://localhost                 | must not point to an internal host name
            https://LocalHost:8443            | must not point to an internal host name
            https://app.localhost             | must not point to an internal host name
            https://metadata.google.internal  | must not point to an internal host name
            https://printer.local             | must not point to an internal host name
            https://rebind.example            | resolves to an internal address
            https://mixed.example             | resolves to an internal address
            https://2130706433                | has an invalid host
            https://0x7f.0.0.1                | has an invalid host
            https://0177.0.0.1                | has an invalid host
            https://127.1                     | has an invalid host
            https://256.0.0.1                 | has an invalid host
            https://example.0x10              | has an invalid host
            https://-bad.com                  | has an invalid host
            https://bad-.com                  | has an invalid host
            https://a..b                      | has an invalid host
            https://under_score.com           | has an invalid host
            https://example.com.              | has an invalid host
            https://[fe80::1%25eth0]          | has an invalid host
            https://[::1]x                    | is not a valid URL
            https://[127.0.0.1]               | is not a valid URL
            https://[::1]:                    | must have a port between 1 and 65535
            https://user:pw@example.com       | must not contain user credentials
            https://example.com/path          | must not contain a path; put the path in meta.path
            https://example.com?x=1           | must not contain a query; put it in meta.path
            https://example.com#top           | must not contain a fragment
            https://example.com:0             | must have a port between 1 and 65535
            https://example.com:65536         | must have a port between 1 and 65535
            https://example.com:              | must have a port between 1 and 65535
            https://example.com:https         | must have a port between 1 and 65535
            """)
    void rejects(String host, String problem) {
        List<String> problems = guard.checkHost(host);
        assertTrue(problems.contains(problem), () -> host + " gave " + problems);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "   ")
    void requiresAHost(String host) {
        assertEquals(List.of("is required"), guard.checkHost(host));
    }

    @Test
    void reportsEveryProblemOfOneUrl() {
        assertEquals(List.of("must not contain a path; put the path in meta.path",
                        "must not contain a query; put it in meta.path",
                        "must not contain user credentials",
                        "has an invalid host"),
                guard.checkHost("https://user@under_score.com/hook?x=1"));
    }

    @Test
    void limitsTheLengths() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertEquals(List.of(), guard.checkHost("https://" + label63 + ".example"));
        assertEquals(List.of("has an invalid host"), guard.checkHost("https://a" + label63 + ".example"));
        assertEquals(List.of(), guard.checkHost("https://" + name253));
        assertEquals(List.of("has an invalid host"), guard.checkHost("https://a." + name253));
        String longUrl = "https://example.com/" + "p".repeat(WebhookTargetGuard.MAX_LENGTH);
        assertEquals(List.of("must be at most 2048 characters"), guard.checkHost(longUrl));
    }

    @Test
    void internalNamesAreRejectedWithoutAskingTheResolver() {
        dns.put("localhost", new InetAddress[]{PUBLIC});
        dns.put("db.internal", new InetAddress[]{PUBLIC});
        assertEquals(List.of("must not point to an internal host name"), guard.checkHost("https://localhost"));
        assertEquals(List.of("must not point to an internal host name"), guard.checkHost("https://db.internal"));
        assertEquals(List.of(), lookups);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost:9000", "https://[::1]", "http://rebind.example"})
    void allowInsecureAcceptsHttpAndInternalTargets(String host) {
        assertEquals(List.of(), insecure.checkHost(host));
    }

    @Test
    void allowInsecureStillChecksTheSyntax() {
        assertEquals(List.of("must be an http:// or https:// URL"), insecure.checkHost("ftp://example.com"));
        assertEquals(List.of("must not contain a path; put the path in meta.path"),
                insecure.checkHost("http://localhost:9000/hook"));
        assertEquals(List.of("has an invalid host"), insecure.checkHost("http://2130706433"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.0", "10.255.255.255",
            "172.16.0.0", "172.31.255.255", "192.168.0.1", "169.254.0.1", "169.254.169.254",
            "100.64.0.0", "100.127.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "::1", "::", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fdff::1", "fd00:ec2::254", "ff02::1",
            "::ffff:10.0.0.1", "::127.0.0.1", "::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::192.168.1.1"})
    void internalAddresses(String literal) {
        assertTrue(WebhookTargetGuard.isInternal(ip(literal)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "93.184.215.14", "8.8.8.8", "1.0.0.1", "9.255.255.255", "11.0.0.0", "126.255.255.255",
            "128.0.0.1", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255",
            "169.255.0.0", "100.63.255.255", "100.128.0.0", "223.255.255.255",
            "2606:4700::1111", "2001:db8::1", "fbff::1", "fe7f::1",
            "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808"})
    void publicAddresses(String literal) {
        assertFalse(WebhookTargetGuard.isInternal(ip(literal)));
    }

    @Test
    void checksTheIpv4EmbeddedInAMappedIpv6Address() throws UnknownHostException {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; a resolver may not.
        byte[] loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        byte[] google = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};
        assertTrue(WebhookTargetGuard.isInternal(Inet6Address.getByAddress(null, loopback, -1)));
        assertFalse(WebhookTargetGuard.isInternal(Inet6Address.getByAddress(null, google, -1)));
    }

    @Test
    void deliveryReturnsTheFirstResolvedAddress() throws UnknownHostException {
        assertEquals(PUBLIC, guard.checkDeliveryAddress("https://example.com"));
        assertEquals(PUBLIC, guard.checkDeliveryAddress("https://multi.example:8443/"));
        assertEquals(List.of("example.com", "multi.example"), lookups);
    }

    @Test
    void deliveryConnectsToAnIpLiteralWithoutResolving() throws UnknownHostException {
        assertEquals(PUBLIC, guard.checkDeliveryAddress("https://93.184.215.14"));
        assertEquals(List.of(), lookups);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://rebind.example", "https://mixed.example", "https://10.0.0.5", "https://localhost"})
    void deliveryRefusesInternalAddresses(String host) {
        dns.put("localhost", new InetAddress[]{PUBLIC});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> guard.checkDeliveryAddress(host));
        assertTrue(e.getMessage().contains("internal address"), e.getMessage());
    }

    @Test
    void deliveryCatchesANameRepointedAfterConfiguration() {
        dns.put("flip.example", new InetAddress[]{PUBLIC});
        assertEquals(List.of(), guard.checkHost("https://flip.example"));
        dns.put("flip.example", new InetAddress[]{ip("127.0.0.1")});
        assertThrows(IllegalArgumentException.class, () -> guard.checkDeliveryAddress("https://flip.example"));
    }

    @Test
    void deliveryRejectsAnInvalidUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> guard.checkDeliveryAddress("https://example.com/path"));
        assertEquals("webhook host must not contain a path; put the path in meta.path", e.getMessage());
    }

    @Test
    void deliveryFailsForAnUnresolvableName() {
        assertThrows(UnknownHostException.class, () -> guard.checkDeliveryAddress("https://example.com222"));
    }

    @Test
    void deliveryWithAllowInsecureReachesLoopback() throws UnknownHostException {
        dns.put("localhost", new InetAddress[]{ip("127.0.0.1")});
        assertEquals(ip("127.0.0.1"), insecure.checkDeliveryAddress("http://localhost:9000"));
        assertEquals(ip("10.1.2.3"), insecure.checkDeliveryAddress("http://rebind.example"));
    }

    @Test
    void beanReadsAllowInsecureFromConfiguration() {
        Map<String, Object> props = TestDatabases.h2();
        props.put("flyway.datasources.default.enabled", false);
        try (ApplicationContext context = ApplicationContext.run(props)) {
            assertEquals(List.of("must be an https:// URL"),
                    context.getBean(WebhookTargetGuard.class).checkHost("http://localhost:9000"));
        }
        props.put("webhooks.allow-insecure", true);
        try (ApplicationContext context = ApplicationContext.run(props)) {
            assertEquals(List.of(), context.getBean(WebhookTargetGuard.class).checkHost("http://localhost:9000"));
        }
    }

    /**
     * The contract's pattern (PUBLIC_HTTPS_NAME) admits only hosts the check accepts, and the check
     * refuses every host name it does not admit; IP literals are the documented exception.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://example.com|true", "HTTPS://Example.COM/|true", "https://a|true", "https://x.y-z.io:443|true",
            "https://a.b:00080/|true", "https://a.b:65535|true", "https://unknown.example|true", "https://a1.2b|true",
            "https://a.b:65536|false", "https://a.b:0|false", "https://a.b:123456|false", "http://example.com|false",
            "https://localhost|false", "https://api.LOCALHOST|false", "https://db.internal|false", "https://printer.local/|false",
            "https://example.com/hook|false", "https://example.com?x|false", "https://example.com#f|false",
            "https://u@example.com|false", "https://-a.com|false", "https://a-.com|false", "https://a..com|false",
            "https://127.0.0.1|false", "https://1.2.3.4|false", "https://0x7f|false", "https://a.123|false",
            "https://example.com<LF>|false", "' https://example.com'|false", "https://[::1]|false"})
    void contractPatternAdmitsOnlyWhatTheCheckAccepts(String host, boolean admitted) {
        String url = host.replace("<LF>", "\n"); // a final line break, which $ would let through
        assertEquals(admitted, java.util.regex.Pattern.compile(WebhookTargetGuard.PUBLIC_HTTPS_NAME).matcher(url).find(), url);
        if (admitted) {
            assertEquals(List.of(), guard.checkHost(url), url);
        } else if (!url.matches("https://[0-9.]+|https://\\[.*")) {
            assertFalse(guard.checkHost(url).isEmpty(), url);
        }
    }

    @Test
    void contractPatternCoversLongestNames() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, "a".repeat(61)); // 253 characters
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(WebhookTargetGuard.PUBLIC_HTTPS_NAME);
        assertTrue(pattern.matcher("https://" + name).find());
        assertEquals(List.of(), guard.checkHost("https://" + name));
        assertFalse(pattern.matcher("https://" + name + "b").find());
        assertFalse(guard.checkHost("https://" + name + "b").isEmpty());
    }
}
