package io.contentplane.domain.security;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compact HMAC-signed JWTs (HS256/HS384/HS512), as Node's {@code jsonwebtoken} makes them.
 * Parsing checks the structure and the algorithm before anything is trusted; {@link #verify}
 * compares signatures in constant time. Claims checks (expiry, age, audience) belong to callers.
 */
public final class HmacJwt {
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    private final String algorithm;
    private final Map<String, Object> header;
    private final Map<String, Object> claims;
    private final byte[] signingInput;
    private final byte[] signature;

    private HmacJwt(String algorithm, Map<String, Object> header, Map<String, Object> claims,
                    byte[] signingInput, byte[] signature) {
        this.algorithm = algorithm;
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    /** Thrown for anything that is not a well-formed HMAC JWT; the message is safe to return. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    public static HmacJwt parse(String token, JsonMapper json) throws InvalidTokenException {
        if (token == null || token.length() > 16_384) {
            throw new InvalidTokenException("jwt malformed");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0 || second == token.length() - 1) {
            throw new InvalidTokenException("jwt malformed");
        }
        Map<String, Object> header = decodeObject(token.substring(0, first), json);
        Map<String, Object> claims = decodeObject(token.substring(first + 1, second), json);
        Object alg = header.get("alg");
        if (!(alg instanceof String a) || javaAlgorithm(a) == null) {
            throw new InvalidTokenException("invalid algorithm");
        }
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("invalid signature");
        }
        return new HmacJwt(a, header, claims,
                token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature);
    }

    public boolean verify(byte[] secret) {
        if (secret == null || secret.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(mac(javaAlgorithm(algorithm), secret, signingInput), signature);
    }

    /**
     * The claims of an HS256 token signed with {@code secret}, or empty for anything else (malformed,
     * another algorithm, another key): the gate of the API tokens this project issues itself, whose
     * callers then check the claims.
     */
    public static Optional<Map<String, Object>> verifiedHs256Claims(String token, byte[] secret, JsonMapper json) {
        try {
            HmacJwt jwt = parse(token, json);
            if (!"HS256".equals(jwt.header().get("alg")) || !jwt.verify(secret)) {
                return Optional.empty();
            }
            return Optional.of(jwt.claims());
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    public Map<String, Object> header() {
        return header;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    /** Signs {@code claims} with HS256 as {@code jsonwebtoken.sign} does; {@code kid} may be null. */
    public static String sign(Map<String, Object> claims, byte[] secret, String kid, JsonMapper json) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        try {
            String input = ENCODER.encodeToString(json.writeValueAsBytes(header)) + "."
                    + ENCODER.encodeToString(json.writeValueAsBytes(claims));
            byte[] sig = mac("HmacSHA256", secret, input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + ENCODER.encodeToString(sig);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode JWT", e);
        }
    }

    private static String javaAlgorithm(String jwtAlgorithm) {
        return switch (jwtAlgorithm) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> null;
        };
    }

    private static byte[] mac(String javaAlgorithm, byte[] secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance(javaAlgorithm);
            mac.init(new SecretKeySpec(secret, javaAlgorithm));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }

    private static Map<String, Object> decodeObject(String part, JsonMapper json) throws InvalidTokenException {
        try {
            Map<String, Object> value = json.readValue(DECODER.decode(part), MAP);
            if (value == null) {
                throw new InvalidTokenException("jwt malformed");
            }
            return value;
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new InvalidTokenException("jwt malformed");
        }
    }
}
