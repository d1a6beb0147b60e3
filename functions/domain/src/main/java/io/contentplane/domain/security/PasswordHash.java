package io.contentplane.domain.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Slow, salted password hashing for API secrets: PBKDF2-HMAC-SHA256, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}. Verification takes the same time whether the
 * key exists or not ({@link #verifyAgainstNothing}), so timing does not tell which half was wrong.
 */
public final class PasswordHash {
    public static final int ITERATIONS = 120_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DUMMY = hash("not-a-real-secret", new byte[16], ITERATIONS);

    private PasswordHash() {
    }

    public static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return hash(secret, salt, ITERATIONS);
    }

    public static boolean verify(String secret, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        String candidate = hash(secret, salt, iterations);
        return MessageDigest.isEqual(candidate.getBytes(), stored.getBytes());
    }

    /** Spends the time of one verification, for unknown keys. */
    public static void verifyAgainstNothing(String secret) {
        verify(secret, DUMMY);
    }

    private static String hash(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return "pbkdf2-sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                    + Base64.getEncoder().encodeToString(derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 unavailable", e);
        }
    }
}
