package io.contentplane.domain.integration;

import java.util.Map;

/** A request the stores refuse, with the field-by-field reasons. */
public final class InvalidRequestException extends RuntimeException {
    private final Map<String, String> details;

    public InvalidRequestException(String message, Map<String, String> details) {
        super(message, null, false, false);
        this.details = details;
    }

    public Map<String, String> details() {
        return details;
    }
}
