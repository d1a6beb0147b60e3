package io.contentplane.operator;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Argus's error body: {@code {"type":"request_validation","message":"..."}} for 400/401/413, with
 * {@code errors} naming each bad field on 400; {@code {"type":"exception",...}} for 500.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorError(String type, String message, @Nullable List<FieldError> errors) {

    public static OperatorError validation(String message) {
        return new OperatorError("request_validation", message, null);
    }

    public static OperatorError fields(List<FieldError> errors) {
        String message = errors.stream().map(e -> "request" + e.path() + " " + e.message())
                .reduce((a, b) -> a + ", " + b).orElse("request.body is invalid");
        return new OperatorError("request_validation", message, errors);
    }

    /** One invalid field, as express-openapi-validator names it (path like {@code .body.workerId}). */
    @Serdeable
    public record FieldError(String path, String message, String errorCode) {
    }
}
