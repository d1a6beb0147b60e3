package io.contentplane.domain.web;

import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * A list page deeper than the stores read (two APIs page their lists): 400, in the error shape of
 * the API the path belongs to, which words it (Apex: {@code details.page}, Buddy: the message).
 */
@Singleton
@Produces
@Requires(classes = ExceptionHandler.class)
public class PageOutOfReachHandler extends ErrorPathHandler<PageOutOfReachException> {

    public PageOutOfReachHandler(ErrorResponseProcessor<?> errors) {
        super(errors);
    }

    @Override
    protected HttpStatus status(PageOutOfReachException exception) {
        return HttpStatus.BAD_REQUEST;
    }
}
