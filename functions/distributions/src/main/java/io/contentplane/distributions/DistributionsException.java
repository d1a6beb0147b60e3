package io.contentplane.distributions;

import io.micronaut.http.HttpStatus;

import java.util.List;

/** A refusal in Buddy's shape: a status and one message per problem (per bad field, for validation). */
public final class DistributionsException extends RuntimeException {
    private final HttpStatus status;
    private final List<String> messages;

    public DistributionsException(HttpStatus status, List<String> messages) {
        super(String.join("; ", messages), null, false, false);
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    public static DistributionsException of(HttpStatus status, String message) {
        return new DistributionsException(status, List.of(message));
    }

    /** 400 with every problem found, in the order the fields were checked. */
    public static DistributionsException validation(List<String> messages) {
        return new DistributionsException(HttpStatus.BAD_REQUEST, messages);
    }

    public HttpStatus status() {
        return status;
    }

    public List<String> messages() {
        return messages;
    }
}
