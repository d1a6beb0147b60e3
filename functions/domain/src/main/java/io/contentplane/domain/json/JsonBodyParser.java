package io.contentplane.domain.json;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Request bodies as JSON objects, for the APIs that validate field by field. Each API turns a
 * {@link Problem} into its own error body (Apex's, Buddy's).
 */
@Singleton
public class JsonBodyParser {
    private static final Argument<Object> ANY = Argument.of(Object.class);
    private final JsonMapper json;

    public JsonBodyParser(JsonMapper json) {
        this.json = json;
    }

    public enum Problem { TOO_LARGE, MALFORMED, NOT_AN_OBJECT }

    /** Why a body is not a usable JSON object. */
    public static final class InvalidBodyException extends RuntimeException {
        private final Problem problem;

        InvalidBodyException(Problem problem) {
            super(problem.name(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** The body as a JSON object; an absent or blank body is {@code {}}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(@Nullable String body, int maxBytes) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        if (body.length() > maxBytes || body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidBodyException(Problem.TOO_LARGE);
        }
        Object parsed;
        try {
            parsed = json.readValue(body, ANY);
        } catch (IOException | RuntimeException e) {
            throw new InvalidBodyException(Problem.MALFORMED);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidBodyException(Problem.NOT_AN_OBJECT);
        }
        return (Map<String, Object>) map;
    }

    /**
     * A query-string page number or size: {@code fallback} when absent or blank, the value when it is
     * a whole number from 1 to {@code max}, otherwise null (the caller reports it in its API's words).
     */
    @Nullable
    public static Integer pageParameter(@Nullable String raw, int fallback, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            return value >= 1 && value <= max ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A JSON integer (1 and 1.0 alike, as JavaScript sees them) that fits a long, or null. */
    @Nullable
    public static Long integer(Object value) {
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
}
