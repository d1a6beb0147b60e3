package io.contentplane.domain.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;

/**
 * Sends an exception down the one error path with its status: the processor ({@link ApiErrorResponses})
 * lets the {@link ApiErrorShape} of the API the path belongs to write the body. Each API's handlers
 * only say which exception and which status.
 */
public abstract class ErrorPathHandler<E extends Throwable> implements ExceptionHandler<E, HttpResponse<?>> {
    private final ErrorResponseProcessor<?> errors;

    protected ErrorPathHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    /** The status this exception answers with. */
    protected abstract HttpStatus status(E exception);

    @Override
    public HttpResponse<?> handle(HttpRequest request, E exception) {
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(),
                HttpResponse.status(status(exception)));
    }
}
