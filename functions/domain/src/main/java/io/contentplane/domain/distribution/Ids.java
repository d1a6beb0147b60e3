package io.contentplane.domain.distribution;

import java.security.SecureRandom;

/** Short opaque ids as Buddy shows them ({@code rm1P93jG}): 8 base62 characters, about 47 random bits. */
final class Ids {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next() {
        return random(BASE62, 8);
    }

    /** {@code length} characters drawn uniformly from {@code alphabet}. */
    static String random(String alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(chars);
    }
}
