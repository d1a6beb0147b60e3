package io.contentplane.operator;

import io.micronaut.http.HttpStatus;

/** A request the operator API refuses, with the status and Argus body to answer. */
public final class OperatorRequestException extends Exception {
    private final HttpStatus status;
    private final OperatorError body;

    public OperatorRequestException(HttpStatus status, OperatorError body) {
        super(body.message(), null, false, false);
        this.status = status;
        this.body = body;
    }

    public static OperatorRequestException unauthorized(String message) {
        return new OperatorRequestException(HttpStatus.UNAUTHORIZED, OperatorError.validation(message));
    }

    public HttpStatus status() {
        return status;
    }

    public OperatorError body() {
        return body;
    }
}
