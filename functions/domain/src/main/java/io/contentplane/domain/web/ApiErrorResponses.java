package io.contentplane.domain.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one error path of every function: Micronaut hands each error response (unmatched route,
 * wrong method, unsupported media type, unreadable body, exception handlers, security's
 * rejections) to this processor, which lets the {@link ApiErrorShape} of the API the path belongs
 * to write the body. Paths outside every API (only the local runner serves several) get
 * {@code {"message": "..."}}.
 */
@Primary
@Requires(classes = ErrorResponseProcessor.class)
@Singleton
public class ApiErrorResponses implements ErrorResponseProcessor<Object> {
    private final List<ApiErrorShape> shapes;

    public ApiErrorResponses(List<ApiErrorShape> shapes) {
        // Longest prefix first, so /api/v1/integration wins over /api/v1.
        this.shapes = shapes.stream()
                .sorted(Comparator.comparingInt((ApiErrorShape s) -> s.pathPrefix().length()).reversed())
                .toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ApiErrorShape shape = shapeFor(context.getRequest().getPath());
        if (shape != null) {
            return (MutableHttpResponse<Object>) shape.render(context, response);
        }
        String reason = response.getStatus().getReason();
        return ((MutableHttpResponse<Object>) response).body(Map.of("message", reason == null ? "Error" : reason));
    }

    /** The shape whose prefix is the path or a whole-segment prefix of it, or null. */
    ApiErrorShape shapeFor(String path) {
        for (ApiErrorShape shape : shapes) {
            String prefix = shape.pathPrefix();
            if (path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
                return shape;
            }
        }
        return null;
    }
}
