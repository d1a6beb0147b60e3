package io.contentplane.domain.argus;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Argus's error body: {@code {"type":"request_validation","message":"..."}} for client errors, with
 * {@code errors} naming each bad field on 400; {@code {"type":"exception",...}} for 500; the public
 * API's {@code not_found} and {@code unavailable}; and a bare {@code {"message":"..."}} (no type)
 * for the operator API's 409 conflicts, as Argus answers them.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArgusError(@Nullable String type, String message, @Nullable List<FieldError> errors) {
    public static final String REQUEST_VALIDATION = "request_validation";

    public static ArgusError validation(String message) {
        return new ArgusError(REQUEST_VALIDATION, message, null);
    }

    /** A 400 naming each bad field; the message lists them as express-openapi-validator does. */
    public static ArgusError fields(List<FieldError> errors) {
        String message = errors.stream().map(e -> "request" + e.path() + " " + e.message())
                .reduce((a, b) -> a + ", " + b).orElse("request.body is invalid");
        return new ArgusError(REQUEST_VALIDATION, message, errors);
    }

    /** One invalid field, as express-openapi-validator names it (path like {@code .body.workerId}). */
    @Serdeable
    public record FieldError(String path, String message, String errorCode) {
    }
}
