package io.contentplane.operator.auth;

import io.contentplane.domain.argus.ArgusError;
import io.contentplane.domain.argus.ArgusException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the body of a request routed to the operator API before security looks at it, so that the
 * token's {@code reqBody} can be compared with it ({@link OperatorClaims}); the body stays readable
 * for the controller (a split of the request's body, on Netty and in the Lambda adapter alike).
 * As Argus's {@code express.json()} middleware runs before its OperatorAuth, a body over 100 kB
 * (413) and one that is not JSON (400) are refused here, before the token is checked; every other
 * check of the body comes after authentication. An absent body is {@code {}}, as Express reads it.
 */
@ServerFilter("/api/v1/**")
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

    /** The request's body as parsed JSON ({@code value} may be null: the body {@code null}). */
    record Parsed(@Nullable Object value) {
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    /** Completes with null (the request goes on) once the body is read, or fails with the 413/400. */
    @RequestFilter
    CompletableFuture<@Nullable HttpResponse<?>> readBody(HttpRequest<?> request) {
        if (!OperatorRoutes.routed(request) || !(request instanceof ServerHttpRequest<?> server)) {
            return CompletableFuture.completedFuture(null);
        }
        if (request.getContentLength() > MAX_BODY_BYTES) {
            return CompletableFuture.failedFuture(tooLarge());
        }
        CompletableFuture<? extends CloseableAvailableByteBody> read;
        try (CloseableByteBody copy = server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST)) {
            read = copy.buffer();
        }
        return read.thenApply(body -> {
            if (body.length() > MAX_BODY_BYTES) {
                body.close();
                throw tooLarge();
            }
            request.setAttribute(PARSED, new Parsed(parse(body.toByteArray())));
            return null;
        });
    }

    @Nullable
    private Object parse(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return json.readValue(body, ANY);
        } catch (IOException | RuntimeException e) {
            throw new ArgusException(HttpStatus.BAD_REQUEST, ArgusError.validation("Request body is not valid JSON"));
        }
    }

    private static ArgusException tooLarge() {
        return new ArgusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                ArgusError.validation("request entity too large (limit 100kb)"));
    }
}
