package io.contentplane.domain.argus;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

/**
 * A refusal of an Argus API (operator or public) with its status and body; {@link ArgusErrorShape}
 * renders it like every other failure under {@code /api/v1}.
 */
public final class ArgusException extends RuntimeException {
    private final HttpStatus status;
    private final ArgusError error;
    @Nullable
    private final Integer retryAfterSeconds;

    public ArgusException(HttpStatus status, ArgusError error, @Nullable Integer retryAfterSeconds) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ArgusException(HttpStatus status, ArgusError error) {
        this(status, error, null);
    }

    /** Argus's 409: {@code {"message":"..."}}. */
    public static ArgusException conflict(String message) {
        return new ArgusException(HttpStatus.CONFLICT, new ArgusError(null, message, null));
    }

    public HttpStatus status() {
        return status;
    }

    public ArgusError error() {
        return error;
    }

    @Nullable
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
