package io.contentplane.integration;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** Parses request bodies into JSON objects and reads typed fields, naming each bad field. */
@Singleton
public class JsonBodies {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Argument<Object> ANY = Argument.of(Object.class);
    private final JsonMapper json;

    public JsonBodies(JsonMapper json) {
        this.json = json;
    }

    /** The body as a JSON object ({@code {}} when absent); malformed, oversized or non-object bodies are 400/413. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new IntegrationException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "Request body exceeds " + MAX_BODY_BYTES + " bytes", Map.of());
        }
        Object parsed;
        try {
            parsed = json.readValue(body, ANY);
        } catch (IOException | RuntimeException e) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_JSON", "Request body is not valid JSON", Map.of());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_JSON", "Request body must be a JSON object", Map.of());
        }
        return (Map<String, Object>) map;
    }

    /** Adds a detail for every key not in {@code allowed}. */
    static void rejectUnknown(Map<String, ?> object, Set<String> allowed, String prefix, Map<String, String> errors) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                errors.put(prefix + key, "unknown field");
            }
        }
    }

    /** A JSON integer (1 and 1.0 alike), or null. */
    @Nullable
    static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 63) {
            return b.longValue();
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        return null;
    }

    /** A positive page number or size from the query string. */
    static int pageParameter(@Nullable String raw, String name, int fallback, int max, Map<String, String> errors) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.put(name, "must be an integer from 1 to " + max);
        return fallback;
    }
}
