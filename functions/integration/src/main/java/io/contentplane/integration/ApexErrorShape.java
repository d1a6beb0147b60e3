package io.contentplane.integration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.contentplane.domain.integration.InvalidRequestException;
import io.contentplane.domain.integration.NotFoundException;
import io.contentplane.domain.web.ApiErrorShape;
import io.contentplane.domain.web.ErrorPathHandler;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.PropertyReferencePath;
import io.micronaut.serde.exceptions.path.ReferencePath;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Apex error body {@code {"error":{"code","message","details"}}} of every failure under
 * {@code /api/v1/integration}: the API's own refusals ({@link IntegrationException}, the stores'
 * {@link NotFoundException} and {@link InvalidRequestException}, through the handlers below), bodies
 * that do not bind or validate, security's 401/403 and the framework's 404, 405, 413, 415 and 500.
 * The one place where a failure becomes an answer: controllers and the gate only throw.
 */
@Singleton
public class ApexErrorShape implements ApiErrorShape {
    static final String PREFIX = "/api/v1/integration";
    static final String VALIDATION_ERROR = "VALIDATION_ERROR";

    @Override
    public String pathPrefix() {
        return PREFIX;
    }

    @Override
    public MutableHttpResponse<?> render(ErrorContext context, MutableHttpResponse<?> response) {
        Throwable cause = context.getRootCause().orElse(null);
        Error error = cause == null ? null : fromCause(cause);
        if (error == null) {
            error = fromStatus(response.getStatus(), context.getRequest());
        }
        if (cause instanceof IntegrationException e && e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter()));
        }
        return response.body(new Body(error));
    }

    /** {@code {"error": {...}}}. */
    @Serdeable
    record Body(Error error) {
    }

    /** {@code details} names each bad field ({@code {"meta.host": "..."}}), else is {@code {}}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Error(String code, String message, Map<String, ?> details) {
    }

    private static Error fromCause(Throwable cause) {
        if (cause instanceof IntegrationException e) {
            return new Error(e.code(), e.getMessage(), e.details());
        }
        if (cause instanceof NotFoundException e) {
            return new Error(e.what().toUpperCase() + "_NOT_FOUND", e.getMessage(), Map.of());
        }
        if (cause instanceof InvalidRequestException e) {
            return validation(e.details());
        }
        if (cause instanceof PageOutOfReachException e) {
            return validation(Map.of("page", e.getMessage()));
        }
        if (cause instanceof ConstraintViolationException e) {
            Map<String, String> details = new LinkedHashMap<>();
            for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
                details.putIfAbsent(field(violation.getPropertyPath()), violation.getMessage());
            }
            return validation(details);
        }
        if (cause instanceof UnsatisfiedBodyRouteException) {
            return new Error("INVALID_JSON", "Request body must be a JSON object", Map.of());
        }
        return fromBinding(cause);
    }

    /**
     * A body that did not bind (the cause wrapped by the codec or the conversion): not JSON, not an
     * object, a field of the wrong type, an unknown field. Null for any other failure.
     */
    @Nullable
    private static Error fromBinding(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonSyntaxException) {
                return new Error("INVALID_JSON", "Request body is not valid JSON", Map.of());
            }
            if (t instanceof SerdeException serde) {
                List<ReferencePath> path = serde.getPath();
                if (path.isEmpty()) {
                    return new Error("INVALID_JSON", "Request body must be a JSON object", Map.of());
                }
                String message = serde.getMessage() == null ? "" : serde.getMessage();
                boolean unknown = message.startsWith("Unknown property [");
                StringBuilder field = new StringBuilder();
                // innermost first; an unknown property is named as sent, the others as declared
                for (int i = path.size() - 1; i >= 0; i--) {
                    if (path.get(i) instanceof PropertyReferencePath property) {
                        String name = property.getArgument().getName();
                        field.append(field.isEmpty() ? "" : ".").append(unknown && i == 0 ? name : snakeCase(name));
                    }
                }
                String detail = unknown ? "unknown field"
                        : serde instanceof StrictJson.FieldError ? message
                        : message.contains("expected START_OBJECT") ? "must be an object or null"
                        : message.startsWith("Duplicate property [") ? "given more than once"
                        : "has the wrong type";
                return validation(Map.of(field.toString(), detail));
            }
        }
        return null;
    }

    private static Error fromStatus(HttpStatus status, HttpRequest<?> request) {
        return switch (status) {
            case BAD_REQUEST -> new Error("BAD_REQUEST", "The request could not be read", Map.of());
            case UNAUTHORIZED -> new Error("UNAUTHORIZED", request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
                    ? "Access token is invalid or expired"
                    : "Authorization header with a Bearer access token is required", Map.of());
            case FORBIDDEN -> new Error("FORBIDDEN", "This token cannot use this endpoint", Map.of());
            case NOT_FOUND -> new Error("NOT_FOUND", "No such endpoint: " + request.getMethodName() + " " + request.getPath(), Map.of());
            case METHOD_NOT_ALLOWED -> new Error("METHOD_NOT_ALLOWED", "Method " + request.getMethodName()
                    + " is not allowed here", Map.of());
            case NOT_ACCEPTABLE -> new Error("NOT_ACCEPTABLE", "Answers are application/json", Map.of());
            case REQUEST_ENTITY_TOO_LARGE -> new Error("PAYLOAD_TOO_LARGE", "Request is too large", Map.of());
            case UNSUPPORTED_MEDIA_TYPE -> new Error("UNSUPPORTED_MEDIA_TYPE", "Request bodies must be application/json", Map.of());
            default -> {
                if (status.getCode() >= 500) {
                    // No detail to the client; Micronaut's RouteExecutor has logged the exception.
                    yield new Error("INTERNAL_ERROR", "Unexpected server error", Map.of());
                }
                yield new Error(status.name(), status.getReason(), Map.of());
            }
        };
    }

    private static Error validation(Map<String, ?> details) {
        return new Error(VALIDATION_ERROR, "Request validation failed", details);
    }

    /** {@code create.body.meta.authentication.username} -> {@code meta.authentication.username}. */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(snakeCase(node.getName()));
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** The API's JSON names are the Java names in snake case ({@code parentId} -> {@code parent_id}). */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The API's own refusals, answered with their status through the one error path. */
    @Singleton
    @Produces
    static final class Refusals extends ErrorPathHandler<IntegrationException> {
        Refusals(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(IntegrationException exception) {
            return exception.status();
        }
    }

    /** An unknown (or another tenant's) node, distributor or delivery: 404. */
    @Singleton
    @Produces
    static final class NotFound extends ErrorPathHandler<NotFoundException> {
        NotFound(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(NotFoundException exception) {
            return HttpStatus.NOT_FOUND;
        }
    }

    /** A request the stores refuse field by field (a parent of the wrong type, say): 400. */
    @Singleton
    @Produces
    static final class Invalid extends ErrorPathHandler<InvalidRequestException> {
        Invalid(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(InvalidRequestException exception) {
            return HttpStatus.BAD_REQUEST;
        }
    }
}
