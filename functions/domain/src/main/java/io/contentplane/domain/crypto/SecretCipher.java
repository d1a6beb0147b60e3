package io.contentplane.domain.crypto;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets at rest with AES-256-GCM. The stored form is {@code v1:<base64(iv | ciphertext | tag)>}.
 * The associated data ties a ciphertext to the record it belongs to (for example a node id and
 * parameter name), so a ciphertext copied onto another record does not decrypt.
 * The key (32 bytes, base64) comes from {@code crypto.data-key} ({@code DATA_ENCRYPTION_KEY}); it is read
 * on first use, so functions that never touch a secret never need it.
 */
@Singleton
public class SecretCipher {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * Made on the first encryption: seeding a SecureRandom costs about 12 ms on a cold start, and the functions
     * that only decrypt (the operator's node secrets) never need one.
     */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();

        private Random() {
        }
    }

    private final String encodedKey;
    private volatile SecretKeySpec key;

    public SecretCipher(@Value("${crypto.data-key:}") String encodedKey) {
        this.encodedKey = encodedKey;
    }

    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] iv = new byte[IV_BYTES];
            Random.INSTANCE.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Secret encryption failed", e);
        }
    }

    public String decrypt(String stored, String associatedData) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalStateException("Stored secret has an unknown format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never include the ciphertext or key material in the message.
            throw new IllegalStateException("Stored secret cannot be decrypted with the configured key");
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            if (encodedKey == null || encodedKey.isBlank()) {
                throw new IllegalStateException("crypto.data-key (DATA_ENCRYPTION_KEY) is not configured");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encodedKey.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("crypto.data-key (DATA_ENCRYPTION_KEY) is not valid base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("crypto.data-key (DATA_ENCRYPTION_KEY) must be 32 bytes, base64-encoded");
            }
            k = new SecretKeySpec(raw, "AES");
            key = k;
        }
        return k;
    }
}
