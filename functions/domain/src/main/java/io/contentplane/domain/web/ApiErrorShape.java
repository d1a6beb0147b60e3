package io.contentplane.domain.web;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;

/**
 * One compatible API's error body. Every failure under {@link #pathPrefix()} - the API's own, the
 * framework's (404, 405, 413, 415, malformed JSON, 500) and security's (401, 403) - reaches the
 * client through the one {@code ApiErrorShape} of that API, chosen by {@link ApiErrorResponses}.
 */
public interface ApiErrorShape {

    /** The path prefix this API owns, e.g. {@code /api/v1/integration}; the longest matching prefix wins. */
    String pathPrefix();

    /**
     * The answer to a failure: {@code response} already carries the status (and headers such as
     * {@code Allow}); the shape sets the body and any header of its own. {@code context} holds the
     * request, the cause and the framework's messages.
     */
    MutableHttpResponse<?> render(ErrorContext context, MutableHttpResponse<?> response);
}
