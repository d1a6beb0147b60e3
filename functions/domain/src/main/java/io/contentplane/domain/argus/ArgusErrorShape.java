package io.contentplane.domain.argus;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.contentplane.domain.argus.ArgusError.FieldError;
import io.contentplane.domain.web.ApiErrorShape;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/**
 * The Argus APIs' error body ({@link ArgusError}) for every failure under {@code /api/v1} (the
 * operator and the public API; {@code /api/v1/integration} has a shape of its own): the APIs' own
 * refusals ({@link ArgusException}), body validation (400 with {@code errors}), security's 401, and
 * the framework's 400/404/405/413/415; anything else is a 500 without internal detail.
 */
@Singleton
@Requires(classes = ErrorContext.class)
public class ArgusErrorShape implements ApiErrorShape {
    /**
     * Request attribute: why the operator's claim validation refused a token, for the 401's message
     * (security itself only says "unauthorized").
     */
    public static final String AUTH_FAILURE = "contentplane.argus.auth-failure";
    private static final String VALIDATION_EXCEPTION = "jakarta.validation.ConstraintViolationException";
    private static final Logger LOG = LoggerFactory.getLogger(ArgusErrorShape.class);

    @Override
    public String pathPrefix() {
        return "/api/v1";
    }

    @Override
    public MutableHttpResponse<?> render(ErrorContext context, MutableHttpResponse<?> response) {
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ArgusException refusal) {
            if (refusal.retryAfterSeconds() != null) {
                response.header(HttpHeaders.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()));
            }
            return response.body(refusal.error());
        }
        if (cause != null && VALIDATION_EXCEPTION.equals(cause.getClass().getName())) {
            return response.body(ArgusError.fields(ArgusFieldErrors.of(cause)));
        }
        HttpRequest<?> request = context.getRequest();
        int status = response.code();
        if (status == 400) {
            // The body did not bind to the operation's record: every field of those accepts any JSON
            // value, so only a body that is not a JSON object gets here.
            return response.body(ArgusError.fields(List.of(new FieldError(".body", "must be object", "type.openapi.validation"))));
        }
        if (status >= 500) {
            // The class only: messages of lower layers may carry values that must not reach the logs.
            LOG.error("{} {} failed: {}", request.getMethodName(), request.getPath(),
                    cause == null ? "status " + status : cause.getClass().getName());
            return response.body(new ArgusError("exception", "Unexpected server error", null));
        }
        return response.body(ArgusError.validation(message(request, status)));
    }

    private static String message(HttpRequest<?> request, int status) {
        return switch (status) {
            case 401 -> unauthorized(request);
            case 403 -> "Forbidden";
            case 404 -> "not found";
            case 405 -> request.getMethodName() + " method not allowed";
            case 413 -> "request entity too large";
            case 415 -> "unsupported media type " + request.getContentType().map(Object::toString).orElse("");
            default -> HttpStatus.valueOf(status).getReason();
        };
    }

    private static String unauthorized(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return "Authorization token is missing";
        }
        if (!authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return "Authorization header must be 'Bearer <token>'";
        }
        return request.getAttribute(AUTH_FAILURE, String.class).map(reason -> "Invalid token: " + reason)
                .orElse("Invalid token");
    }
}
