package io.contentplane.distributions;

import io.contentplane.domain.json.JsonBodyParser;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

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
    private final JsonBodyParser parser;

    public RequestBodies(JsonBodyParser parser) {
        this.parser = parser;
    }

    /** The body as a JSON object ({@code {}} when absent); malformed, oversized or non-object bodies are 400/413. */
    Map<String, Object> object(@Nullable String body) {
        try {
            return parser.object(body, MAX_BODY_BYTES);
        } catch (JsonBodyParser.InvalidBodyException e) {
            throw switch (e.problem()) {
                case TOO_LARGE -> DistributionsException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                        "Request body exceeds " + MAX_BODY_BYTES + " bytes");
                case MALFORMED -> DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body is not valid JSON");
                case NOT_AN_OBJECT -> DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body must be a JSON object");
            };
        }
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
        return JsonBodyParser.integer(value);
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
        Integer value = JsonBodyParser.pageParameter(raw, fallback, max);
        if (value == null) {
            errors.add(message);
            return fallback;
        }
        return value;
    }
}
