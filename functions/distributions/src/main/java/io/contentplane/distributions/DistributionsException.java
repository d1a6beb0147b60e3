package io.contentplane.distributions;

import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** A refusal in Buddy's shape: a status and one message per problem (per bad field, for validation). */
public final class DistributionsException extends RuntimeException {
    private final HttpStatus status;
    private final List<String> messages;
    private final Map<String, String> headers;

    public DistributionsException(HttpStatus status, List<String> messages, Map<String, String> headers) {
        super(String.join("; ", messages), null, false, false);
        this.status = status;
        this.messages = List.copyOf(messages);
        this.headers = Map.copyOf(headers);
    }

    public static DistributionsException of(HttpStatus status, String message) {
        return new DistributionsException(status, List.of(message), Map.of());
    }

    /** 400 with every problem found, in the order the fields were checked. */
    public static DistributionsException validation(List<String> messages) {
        return new DistributionsException(HttpStatus.BAD_REQUEST, messages, Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public List<String> messages() {
        return messages;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
