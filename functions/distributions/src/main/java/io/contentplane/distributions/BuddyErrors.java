package io.contentplane.distributions;

import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.contentplane.domain.distribution.ConflictException;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.contentplane.domain.web.ApiErrorShape;
import io.contentplane.domain.web.ErrorPathHandler;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The one error path of the Buddy distributions API ({@code /workspaces}): every failure - the
 * API's own refusals, Micronaut Security's 401/403, validation, and the framework's 400 (malformed
 * JSON), 404, 405, 413, 415 and 500 - is answered {@code {"errors":[{"message":"..."}]}}, one
 * message per problem. The exception handlers below give the API's own exceptions their status and
 * hand them to the error processor, which comes back here for the body.
 */
@Singleton
public class BuddyErrors implements ApiErrorShape {
    static final String PREFIX = "/workspaces";
    static final String REALM = "Bearer realm=\"distributions\"";
    private static final Logger LOG = LoggerFactory.getLogger(BuddyErrors.class);

    /** Buddy's error body. */
    @Serdeable
    public record Body(List<Message> errors) {
        @Serdeable
        public record Message(String message) {
        }

        static Body of(List<String> messages) {
            return new Body(messages.stream().map(Message::new).toList());
        }
    }

    @Override
    public String pathPrefix() {
        return PREFIX;
    }

    @Override
    public MutableHttpResponse<?> render(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        Throwable cause = context.getRootCause().orElse(null);
        HttpStatus status = response.getStatus();
        List<String> messages;
        if (cause instanceof DistributionsException e) {
            messages = e.messages();
        } else if (cause instanceof ResourceNotFoundException || cause instanceof ConflictException
                || cause instanceof PageOutOfReachException) {
            messages = List.of(cause.getMessage());
        } else {
            messages = List.of(frameworkMessage(request, status, response));
        }
        if (status.getCode() >= 500) {
            // Class name only: lower layers' messages may carry values that must not be logged.
            LOG.error("Distributions request failed: {}", cause == null ? status : cause.getClass().getName());
        }
        return response.body(Body.of(messages));
    }

    /** Messages of the failures Micronaut and Micronaut Security answer themselves. */
    private static String frameworkMessage(HttpRequest<?> request, HttpStatus status, MutableHttpResponse<?> response) {
        return switch (status) {
            case UNAUTHORIZED -> unauthorized(request, response);
            case FORBIDDEN -> forbidden(request, response);
            case METHOD_NOT_ALLOWED -> {
                String allowed = response.getHeaders().get(HttpHeaders.ALLOW);
                yield allowed == null ? "Method " + request.getMethodName() + " is not allowed here"
                        : "Method " + request.getMethodName() + " is not allowed here; allowed: " + allowed.replace(",", ", ");
            }
            case BAD_REQUEST -> "Request body is not valid JSON";
            case REQUEST_ENTITY_TOO_LARGE -> "Request is too large";
            case UNSUPPORTED_MEDIA_TYPE -> "Content-Type must be application/json";
            case INTERNAL_SERVER_ERROR -> "Unexpected server error";
            default -> status.getReason();
        };
    }

    /** Why the request has no valid token, with the challenge RFC 6750 asks for. */
    private static String unauthorized(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, REALM);
            return "Authorization header with a Bearer token is required";
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, REALM);
            return "Authorization must be 'Bearer <token>'";
        }
        response.header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
        return "Token is invalid or expired";
    }

    /** The scope the endpoint declares with {@code @Secured} and the token lacks. */
    private static String forbidden(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String scope = requiredScope(request);
        if (scope == null) {
            return HttpStatus.FORBIDDEN.getReason();
        }
        response.header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\"");
        return "Token lacks the " + scope + " scope";
    }

    @Nullable
    private static String requiredScope(HttpRequest<?> request) {
        RouteMatch<?> route = request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class).orElse(null);
        if (route instanceof MethodBasedRouteMatch<?, ?> method) {
            String[] roles = method.getValue(Secured.class, String[].class).orElse(new String[0]);
            return roles.length == 1 ? roles[0] : null;
        }
        return null;
    }

    /** Status and messages of the API's own refusals. */
    @Singleton
    static final class Refusals extends ErrorPathHandler<DistributionsException> {
        Refusals(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(DistributionsException e) {
            return e.status();
        }
    }

    /** A workspace, distribution or route that does not exist (or is not the caller's): 404. */
    @Singleton
    static final class NotFound extends ErrorPathHandler<ResourceNotFoundException> {
        NotFound(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(ResourceNotFoundException e) {
            return HttpStatus.NOT_FOUND;
        }
    }

    /** A valid request that clashes with stored state (a taken identifier or host): 409. */
    @Singleton
    static final class Conflict extends ErrorPathHandler<ConflictException> {
        Conflict(ErrorResponseProcessor<?> errors) {
            super(errors);
        }

        @Override
        protected HttpStatus status(ConflictException e) {
            return HttpStatus.CONFLICT;
        }
    }
}
