package io.contentplane.domain.argus;

import io.contentplane.domain.web.ErrorPathHandler;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Sends an {@link ArgusException} down the one error path (the processor picks {@link ArgusErrorShape}). */
@Singleton
@Requires(classes = ExceptionHandler.class)
public class ArgusExceptionHandler extends ErrorPathHandler<ArgusException> {

    public ArgusExceptionHandler(ErrorResponseProcessor<?> errors) {
        super(errors);
    }

    @Override
    protected HttpStatus status(ArgusException exception) {
        return exception.status();
    }
}
