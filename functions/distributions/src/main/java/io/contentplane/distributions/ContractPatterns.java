package io.contentplane.distributions;

/**
 * The domain rules of {@link BodyRules.Rule} as regular expressions for the published contract
 * ({@code @Schema(pattern)}): the server checks with the rules themselves, the document states
 * the same sets in JSON Schema (ECMA 262, a search: anchored with {@code ^} and a final
 * {@code (?![\\s\\S])}, as {@code $} admits a final line break). {@code ContractPatternsTest}
 * holds each to its rule. Compile-time constants, so that nothing of them runs in the Lambda.
 */
final class ContractPatterns {
    /** Empty, or DNS labels joined by dots ({@link io.contentplane.domain.distribution.HostNames#isSubdomain}). */
    static final String SUBDOMAIN = "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)?(?![\\s\\S])";
    /** Two or more DNS labels, the last not all digits ({@link io.contentplane.domain.distribution.HostNames#isDomain}). */
    static final String DOMAIN = "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?=[0-9]*[A-Za-z-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?![\\s\\S])";
    /** RFC 3986 segments between optional slashes, at most 1024 characters once the slashes are stripped. */
    static final String URL_PATH = "^/*(?![A-Za-z0-9._~!$&'()*+,;=:@%/-]{1024}[A-Za-z0-9._~!$&'()*+,;=:@%/-]*[A-Za-z0-9._~!$&'()*+,;=:@%-])(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*)?/*(?![\\s\\S])";
    /**
     * A domain or IPv4 address alone, or an http(s) URL as {@link java.net.URI} parses one with such a
     * host (a URI host's last label starts with a letter), an optional port 1-65535, path and query
     * (URI's characters, %XX escapes, non-ASCII characters but spaces and controls), no user or fragment.
     */
    static final String EXTERNAL_URL = "^(?:(?=[\\s\\S]{1,253}(?![\\s\\S]))(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?=[0-9]*[A-Za-z-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))|[Hh][Tt][Tt][Pp][Ss]?://(?=[A-Za-z0-9.-]{1,253}(?![A-Za-z0-9.-]))(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))(?::(?:0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?)?(?:/(?:(?:[A-Za-z0-9._~!*'()\\-:@&=+$,;]|%[0-9A-Fa-f]{2}|[^\\x00-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])|/)*)?(?:\\?(?:[A-Za-z0-9._~!*'()\\-:@&=+$,;/?\\[\\]]|%[0-9A-Fa-f]{2}|[^\\x00-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])*)?)(?![\\s\\S])";
    /** A Host header's name: a domain with an optional trailing dot and port, spaces around ignored (the resolve endpoint). */
    static final String REQUEST_HOST = "^[\\x00-\\x20]*(?=[A-Za-z0-9.-]{1,253}\\.?(?::|[\\x00-\\x20]|(?![\\s\\S])))(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?=[0-9]*[A-Za-z-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?(?::[0-9]{1,5})?[\\x00-\\x20]*(?![\\s\\S])";

    private ContractPatterns() {
    }
}
