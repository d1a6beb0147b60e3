package io.contentplane.domain.argus;

import io.contentplane.domain.argus.ArgusError.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.List;

/**
 * A body's constraint violations as express-openapi-validator reports them: a path from
 * {@code .body} ({@code .body.workerId}, {@code .body.buckets[2]}), ajv's message and its keyword
 * as {@code <keyword>.openapi.validation}. Loaded only where jakarta validation is (the operator).
 */
final class ArgusFieldErrors {
    private ArgusFieldErrors() {
    }

    static List<FieldError> of(Throwable exception) {
        return ((ConstraintViolationException) exception).getConstraintViolations().stream()
                .map(v -> new FieldError(path(v), v.getMessage(), keyword(v.getMessage()) + ".openapi.validation"))
                .sorted(Comparator.comparing(FieldError::path))
                .toList();
    }

    /** The nodes below the body parameter: properties as {@code .name}, indexes as {@code [i]}. */
    private static String path(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder(".body");
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            if (node.getName() != null && !node.getName().isEmpty() && node.getKind() == ElementKind.PROPERTY) {
                path.append('.').append(node.getName());
            }
            if (node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** ajv words each keyword's message in one fixed way, so the message names its keyword. */
    private static String keyword(String message) {
        if (message.startsWith("must have required property")) {
            return "required";
        } else if (message.startsWith("must NOT have additional properties")) {
            return "additionalProperties";
        } else if (message.startsWith("must NOT have fewer than")) {
            return "minItems";
        } else if (message.startsWith("must NOT have more than")) {
            return "maxItems";
        } else if (message.startsWith("must NOT have duplicate items")) {
            return "uniqueItems";
        } else if (message.startsWith("must match pattern")) {
            return "pattern";
        } else if (message.startsWith("must be >=")) {
            return "minimum";
        } else if (message.startsWith("must be <=")) {
            return "maximum";
        }
        return "type";
    }
}
