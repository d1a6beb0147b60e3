package io.contentplane.domain.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of a {@code whsec_}
 * secret, sent as {@code webhook-signature: v1,<base64>}. Receivers check it with {@link #verify}
 * or any Standard Webhooks library, and should also reject timestamps far from their own clock
 * (a few minutes), which stops replays of captured deliveries.
 */
public final class WebhookSignature {
    private static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1,";
    private static final int SECRET_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A fresh signing secret: {@code whsec_} followed by 24 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value, {@code v1,<base64 HMAC-SHA256>}. */
    public static String sign(String secret, String msgId, long timestampSeconds, String body) {
        return signature(secret, msgId, Long.toString(timestampSeconds), body);
    }

    /**
     * True when one of the space-separated {@code v1,<signature>} entries in {@code signatureHeader}
     * (several while a secret is being rotated) matches the message. {@code timestamp} is the
     * {@code webhook-timestamp} header as received.
     */
    public static boolean verify(String secret, String msgId, String timestamp, String body, String signatureHeader) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] expected = signature(secret, msgId, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            // Constant-time comparison, and every entry is compared, so timing reveals nothing about the expected value.
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    private static String signature(String secret, String msgId, String timestamp, String body) {
        // Standard Webhooks libraries accept the secret with or without its prefix; so does this.
        String encodedKey = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] content = (msgId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encodedKey), "HmacSHA256"));
            return VERSION + Base64.getEncoder().encodeToString(mac.doFinal(content));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }
}
