package io.contentplane.distributions;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.List;

/**
 * Buddy's validation messages from bean validation: the JSON path of the field (as the client
 * wrote it: {@code permissions.users[0].id}, {@code targets.Default.external_url}) followed by the
 * constraint's message, e.g. {@code name is required}. Fields are reported in the order the
 * records declare them, unknown fields first.
 */
final class BodyViolations {
    private BodyViolations() {
    }

    static List<String> messages(ConstraintViolationException e) {
        return e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(BodyViolations::order))
                .map(v -> message(path(v.getPropertyPath()), v.getMessage()))
                .toList();
    }

    static String message(String path, String message) {
        return path.isEmpty() ? message : path + " " + message;
    }

    /** The field's path in the body: properties joined with '.', list positions as [i], map keys as .key. */
    static String path(Path propertyPath) {
        StringBuilder path = new StringBuilder();
        for (Path.Node node : propertyPath) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                path.append('.').append(node.getKey());
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && !name.startsWith("<") && node.getKind() != ElementKind.BEAN) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(name);
            }
        }
        return path.toString();
    }

    private static String order(ConstraintViolation<?> v) {
        return v.getPropertyPath().toString();
    }
}
