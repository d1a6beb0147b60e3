package io.contentplane.domain.webhook;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SSRF guard for webhook targets. A webhook is a {@code host} URL (scheme, host, optional port)
 * plus a separate {@code meta.path}. {@link #checkHost} validates the URL when it is configured;
 * {@link #checkDeliveryAddress} resolves it again right before each delivery, because DNS can
 * change in between (rebinding), and hands back the one address the caller must connect to.
 * With {@code allowInsecure} (local development only) http is allowed and internal targets are
 * not blocked.
 */
@Singleton
public class WebhookTargetGuard {
    static final int MAX_LENGTH = 2048;
    /**
     * The host URLs {@link #checkHost} accepts that name their host (the published contract's pattern,
     * ECMA 262 and Java alike): https:// in any case, a host name of LDH labels (at most 253
     * characters) whose last label is not a number, none of the internal names, an optional port
     * 1-65535, an optional "/". The end is written {@code (?![\s\S])}: {@code $} also matches before a
     * final line break in Java and Python. Narrower than the check in two ways, on purpose: IP literals (accepted
     * when public) are left out, and a name that resolves to an internal address is refused by the
     * check although it matches (that depends on DNS, not on the text).
     */
    public static final String PUBLIC_HTTPS_NAME = "^[Hh][Tt][Tt][Pp][Ss]://"
            + "(?=[^:/]{1,253}(?::|/|(?![\\s\\S])))"
            + "(?!(?:[^:/]*\\.)?[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt](?::|/|(?![\\s\\S])))"
            + "(?![^:/]*\\.(?:[Ii][Nn][Tt][Ee][Rr][Nn][Aa][Ll]|[Ll][Oo][Cc][Aa][Ll])(?::|/|(?![\\s\\S])))"
            + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*"
            + "(?![0-9]+(?::|/|(?![\\s\\S])))(?!0[Xx][0-9A-Fa-f]*(?::|/|(?![\\s\\S])))[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?::(?=[0-9]{1,5}(?:/|(?![\\s\\S])))0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
            + "/?(?![\\s\\S])";
    private static final int MAX_HOST_NAME_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9A-Fa-f]*|[0-9]+");
    private static final Pattern DOTTED_QUAD_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String INTERNAL = "resolves to an internal address";

    /** Name resolution, replaceable so tests never touch real DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowInsecure;
    private final Resolver resolver;

    @Inject
    public WebhookTargetGuard(@Value("${webhooks.allow-insecure:false}") boolean allowInsecure) {
        this(allowInsecure, systemResolver());
    }

    public WebhookTargetGuard(boolean allowInsecure, Resolver resolver) {
        this.allowInsecure = allowInsecure;
        this.resolver = resolver;
    }

    public static Resolver systemResolver() {
        return InetAddress::getAllByName;
    }

    /** A host that passed the syntax checks: the name as written, or the address of an IP literal. */
    private record Target(String name, InetAddress literal) {
    }

    /**
     * Configuration-time check of a webhook host URL. Returns human-readable problems, empty when
     * the URL is acceptable. A name that does not resolve (yet) is accepted: delivery checks it again.
     */
    public List<String> checkHost(String host) {
        List<String> problems = new ArrayList<>();
        Target target = parse(host, problems);
        if (target != null && !allowInsecure) {
            String internal = internalProblem(target);
            if (internal != null) {
                problems.add(internal);
            }
        }
        return List.copyOf(problems);
    }

    /**
     * Delivery-time check: resolves the host URL now and returns the address to connect to, so a
     * name cannot be re-pointed at an internal address between this check and the connection.
     *
     * @throws IllegalArgumentException if the URL is invalid or the host resolves to an internal address
     */
    public InetAddress checkDeliveryAddress(String host) throws UnknownHostException {
        List<String> problems = new ArrayList<>();
        Target target = parse(host, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("webhook host " + String.join("; ", problems));
        }
        if (!allowInsecure && target.literal() == null && isInternalName(target.name())) {
            throw new IllegalArgumentException("webhook host " + INTERNAL);
        }
        InetAddress[] addresses = addresses(target);
        if (!allowInsecure && anyInternal(addresses)) {
            throw new IllegalArgumentException("webhook host " + INTERNAL);
        }
        return addresses[0];
    }

    /**
     * True for every address a webhook must never reach: loopback, unspecified, link-local (cloud
     * metadata), private, unique-local, carrier-grade NAT, multicast, reserved and broadcast, also
     * when an internal IPv4 address is embedded in an IPv6 one (mapped, compatible, NAT64).
     */
    public static boolean isInternal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isInternalV4(b);
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()
                || (b[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean firstTenZero = allZero(b, 0, 10);
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        return (mapped || compatible || nat64) && isInternalV4(new byte[]{b[12], b[13], b[14], b[15]});
    }

    private static boolean isInternalV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0                                   // 0/8, "this network", includes 0.0.0.0
                || first == 10                              // private
                || first == 127                             // loopback
                || (first == 169 && second == 254)          // link-local, cloud metadata 169.254.169.254
                || (first == 172 && (second & 0xf0) == 16)  // private 172.16/12
                || (first == 192 && second == 168)          // private
                || (first == 100 && (second & 0xc0) == 64)  // carrier-grade NAT 100.64/10
                || first >= 224;                            // multicast, reserved 240/4, broadcast
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Syntax checks; adds problems and returns the target when the host part itself is valid. */
    private Target parse(String url, List<String> problems) {
        if (url == null || url.isBlank()) {
            problems.add("is required");
            return null;
        }
        if (url.length() > MAX_LENGTH) {
            problems.add("must be at most " + MAX_LENGTH + " characters");
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add("is not a valid URL");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeAllowed = scheme.equals("https") || (allowInsecure && scheme.equals("http"));
        if (!schemeAllowed || uri.isOpaque() || uri.getRawAuthority() == null) {
            problems.add(allowInsecure ? "must be an http:// or https:// URL" : "must be an https:// URL");
            return null;
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            problems.add("must not contain a path; put the path in meta.path");
        }
        if (uri.getRawQuery() != null) {
            problems.add("must not contain a query; put it in meta.path");
        }
        if (uri.getRawFragment() != null) {
            problems.add("must not contain a fragment");
        }
        return parseAuthority(uri.getRawAuthority(), problems);
    }

    /**
     * Splits user-info, host and port by hand: java.net.URI silently falls back to a "registry"
     * authority (no host) for anything that is not a strict server authority.
     */
    private static Target parseAuthority(String authority, List<String> problems) {
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            problems.add("must not contain user credentials");
            authority = authority.substring(at + 1);
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            // URI accepts a bracket only as a whole IPv6 reference, optionally followed by ":port".
            int close = authority.indexOf(']');
            host = authority.substring(0, close + 1);
            port = close + 1 < authority.length() ? authority.substring(close + 2) : null;
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (port != null && !(PORT.matcher(port).matches() && Integer.parseInt(port) >= 1
                && Integer.parseInt(port) <= 65535)) {
            problems.add("must have a port between 1 and 65535");
        }
        Target target = parseHost(host);
        if (target == null) {
            problems.add("has an invalid host");
        }
        return target;
    }

    private static Target parseHost(String host) {
        if (host.startsWith("[")) {
            String inner = host.substring(1, host.length() - 1);
            if (!IPV6_LITERAL.matcher(inner).matches()) {
                return null;
            }
            try {
                // Bracketed and made only of hex digits, colons and dots: parsed as a literal, never looked up.
                return new Target(host, InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                return null;
            }
        }
        if (host.isEmpty() || host.length() > MAX_HOST_NAME_LENGTH) {
            return null;
        }
        String[] labels = host.split("\\.", -1);
        // A name ending in a number is an IPv4 address to URL parsers and resolvers, which also take
        // 2130706433, 0x7f.0.0.1 or 0177.0.0.1 for 127.0.0.1: only a canonical dotted quad is accepted.
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return parseDottedQuad(host, labels);
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return new Target(host, null);
    }

    private static Target parseDottedQuad(String host, String[] labels) {
        if (labels.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!DOTTED_QUAD_PART.matcher(labels[i]).matches() || Integer.parseInt(labels[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(labels[i]);
        }
        try {
            return new Target(host, InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
        }
    }

    private String internalProblem(Target target) {
        if (target.literal() != null) {
            return isInternal(target.literal()) ? "must not point to an internal address" : null;
        }
        if (isInternalName(target.name())) {
            return "must not point to an internal host name";
        }
        try {
            return anyInternal(addresses(target)) ? INTERNAL : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Names that by convention only ever mean this machine or a private network; never resolved. */
    private static boolean isInternalName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("localhost") || n.endsWith(".localhost") || n.endsWith(".internal") || n.endsWith(".local");
    }

    private InetAddress[] addresses(Target target) throws UnknownHostException {
        if (target.literal() != null) {
            return new InetAddress[]{target.literal()};
        }
        InetAddress[] addresses = resolver.resolve(target.name());
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(target.name());
        }
        return addresses;
    }

    private static boolean anyInternal(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return true;
            }
        }
        return false;
    }
}
