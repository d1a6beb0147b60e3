package io.contentplane.integration;

import io.contentplane.domain.json.JsonBodyParser;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Set;

/** Parses request bodies into JSON objects and reads typed fields, naming each bad field. */
@Singleton
public class JsonBodies {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private final JsonBodyParser parser;

    public JsonBodies(JsonBodyParser parser) {
        this.parser = parser;
    }

    /** The body as a JSON object ({@code {}} when absent); malformed, oversized or non-object bodies are 400/413. */
    Map<String, Object> object(@Nullable String body) {
        try {
            return parser.object(body, MAX_BODY_BYTES);
        } catch (JsonBodyParser.InvalidBodyException e) {
            throw switch (e.problem()) {
                case TOO_LARGE -> new IntegrationException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                        "Request body exceeds " + MAX_BODY_BYTES + " bytes", Map.of());
                case MALFORMED -> new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_JSON", "Request body is not valid JSON", Map.of());
                case NOT_AN_OBJECT -> new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_JSON",
                        "Request body must be a JSON object", Map.of());
            };
        }
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
        return JsonBodyParser.integer(value);
    }

    /** A positive page number or size from the query string. */
    static int pageParameter(@Nullable String raw, String name, int fallback, int max, Map<String, String> errors) {
        Integer value = JsonBodyParser.pageParameter(raw, fallback, max);
        if (value == null) {
            errors.put(name, "must be an integer from 1 to " + max);
            return fallback;
        }
        return value;
    }
}
