package io.contentplane.domain.argus;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Sends an {@link ArgusException} down the one error path (the processor picks {@link ArgusErrorShape}). */
@Singleton
@Requires(classes = ExceptionHandler.class)
public class ArgusExceptionHandler implements ExceptionHandler<ArgusException, HttpResponse<?>> {
    private final ErrorResponseProcessor<?> errors;

    public ArgusExceptionHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ArgusException exception) {
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(),
                HttpResponse.status(exception.status()));
    }
}
