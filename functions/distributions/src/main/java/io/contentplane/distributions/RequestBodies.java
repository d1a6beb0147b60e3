package io.contentplane.distributions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses request bodies into JSON objects and reads typed values and page parameters. */
@Singleton
public class RequestBodies {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 100;
    private static final Argument<Object> ANY = Argument.of(Object.class);
    private final JsonMapper json;

    public RequestBodies(JsonMapper json) {
        this.json = json;
    }

    /** The body as a JSON object ({@code {}} when absent); malformed, oversized or non-object bodies are 400/413. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw DistributionsException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = json.readValue(body, ANY);
        } catch (IOException | RuntimeException e) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    /** Adds "{prefix}{key} is not a known field" for every key not in {@code allowed}. */
    static void rejectUnknown(Map<String, ?> object, Set<String> allowed, String prefix, List<String> errors) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                errors.add(prefix + key + " is not a known field");
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

    /** {@code page} (from 1) and {@code per_page} (1 to 100, default 20) from the query string. */
    static Paging paging(@Nullable String page, @Nullable String perPage) {
        List<String> errors = new ArrayList<>();
        int number = parameter(page, 1, Integer.MAX_VALUE / MAX_PER_PAGE, "page must be a whole number of at least 1", errors);
        int size = parameter(perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE, "per_page must be a whole number from 1 to 100", errors);
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        return new Paging(number, size);
    }

    record Paging(int page, int perPage) {
    }

    private static int parameter(@Nullable String raw, int fallback, int max, String message, List<String> errors) {
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
        errors.add(message);
        return fallback;
    }
}
