package io.contentplane.domain.distribution;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Distribution identifiers: letters, digits, {@code _} and {@code -}, no hyphen at either end, at
 * most {@value #MAX_LENGTH} characters. One left out is made from the name.
 */
public final class Identifiers {
    public static final int MAX_LENGTH = 100;
    /** The rule as a regular expression (for the published contract too). */
    public static final String PATTERN = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,98}[A-Za-z0-9_])?";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    private static final String SUFFIX_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Identifiers() {
    }

    public static boolean isValid(String identifier) {
        return identifier != null && VALID.matcher(identifier).matches();
    }

    /**
     * "My Distribution" becomes "my-distribution": accents dropped, lower case, every run of other
     * characters one hyphen, none at the ends. A name with nothing usable gets a random identifier.
     */
    static String fromName(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "-");
        slug = trimHyphens(slug.length() > MAX_LENGTH ? slug.substring(0, MAX_LENGTH) : slug);
        return slug.isEmpty() ? Ids.next().toLowerCase(Locale.ROOT) : slug;
    }

    /** A generated identifier that was taken, made distinct by a random suffix ("my-distribution-k3x9qa"). */
    static String withSuffix(String identifier) {
        String base = identifier.length() > MAX_LENGTH - 7 ? trimHyphens(identifier.substring(0, MAX_LENGTH - 7)) : identifier;
        return base + "-" + Ids.random(SUFFIX_ALPHABET, 6);
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
