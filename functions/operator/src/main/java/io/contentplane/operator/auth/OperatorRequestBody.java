package io.contentplane.operator.auth;

import io.contentplane.domain.argus.ArgusError;
import io.contentplane.domain.argus.ArgusException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of a request routed to the operator API before security looks at it, so that the
 * token's {@code reqBody} can be compared with it ({@link OperatorClaims}); the body stays readable
 * for the controller (Micronaut binds a split of the request's body to a filter's {@code @Body}, on
 * Netty and in the Lambda adapter alike).
 * As Argus's {@code express.json()} middleware runs before its OperatorAuth, a body over 100 kB
 * (413) and one that is not JSON (400; strict, as there: an object or an array) are refused here,
 * before the token is checked; every other check of the body comes after authentication. An absent
 * body is {@code {}}, as Express reads it.
 */
@ServerFilter(value = {"/api/v1/stop-api", "/api/v1/start-api", "/api/v1/shutdown", "/api/v1/boot",
        "/api/v1/set-worker", "/api/v1/set-buckets", "/api/v1/report-usage"}, methods = HttpMethod.POST)
public class OperatorRequestBody implements Ordered {
    /** Request attribute: the {@link Parsed} body. */
    static final String PARSED = "contentplane.operator.body";
    /** Argus (express.json) refuses bodies over 100 kB. */
    static final int MAX_BODY_BYTES = 100 * 1024;
    private static final Argument<Object> ANY = Argument.of(Object.class);

    private final JsonMapper json;

    public OperatorRequestBody(JsonMapper json) {
        this.json = json;
    }

    /** The request's body as parsed JSON: an object or an array. */
    record Parsed(Object value) {
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    /** Reads the body (Micronaut buffers it for this method, leaving it readable for the route) and lets the request go on. */
    @RequestFilter
    void readBody(HttpRequest<?> request, @Body @Nullable byte[] body) {
        if (!OperatorRoutes.routed(request)) {
            return;
        }
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        request.setAttribute(PARSED, new Parsed(parse(body == null ? new byte[0] : body)));
    }

    private Object parse(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new LinkedHashMap<>();
        }
        Object value;
        try {
            value = json.readValue(body, ANY);
        } catch (IOException | RuntimeException e) {
            throw notJson();
        }
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            throw notJson();
        }
        return value;
    }

    private static ArgusException notJson() {
        return new ArgusException(HttpStatus.BAD_REQUEST, ArgusError.validation("Request body is not valid JSON"));
    }

    private static ArgusException tooLarge() {
        return new ArgusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                ArgusError.validation("request entity too large (limit 100kb)"));
    }
}
