package io.contentplane.domain.distribution;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Syntax of the names a route carries: its domain and subdomain, and EXTERNAL targets (a host name
 * such as {@code kordos.com}, or an http(s) URL). Names are checked as DNS names, not against a list
 * of top-level domains.
 */
public final class HostNames {
    public static final int MAX_HOST_LENGTH = 253;
    public static final int MAX_URL_LENGTH = 2048;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private HostNames() {
    }

    /** A registrable-looking DNS name: two or more labels, the last not numeric ("buddy.works"). */
    public static boolean isDomain(String name) {
        if (name == null || name.length() > MAX_HOST_LENGTH) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        return labels.length >= 2 && labels(labels) && !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** One or more DNS labels joined by dots ("www", "eu.static"); the empty string is handled by callers. */
    public static boolean isSubdomain(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_HOST_LENGTH && labels(name.split("\\.", -1));
    }

    /** A host name or IPv4 address alone, or an http(s) URL with such a host, optional port, path and query. */
    public static boolean isExternalUrl(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_URL_LENGTH
                || value.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            return false;
        }
        if (!value.contains("://")) {
            return isDomain(value) || IPV4.matcher(value).matches();
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            return (scheme.equals("http") || scheme.equals("https")) && host != null
                    && (isDomain(host) || IPV4.matcher(host).matches())
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null
                    && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean labels(String[] labels) {
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
