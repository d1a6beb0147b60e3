package io.contentplane.domain.distribution;

/** The request is valid but clashes with stored state (a taken identifier or route host); the message is for the client. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message, null, false, false);
    }
}
