package io.contentplane.integration;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/** A refusal in the Apex shape ({@link ApexErrorShape}): status, stable code, message and per-field details. */
public final class IntegrationException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Map<String, ?> details;
    private final Long retryAfter;

    public IntegrationException(HttpStatus status, String code, String message, Map<String, ?> details) {
        this(status, code, message, details, null);
    }

    public IntegrationException(HttpStatus status, String code, String message, Map<String, ?> details, Long retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.retryAfter = retryAfter;
    }

    public static IntegrationException validation(Map<String, String> details) {
        return new IntegrationException(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", "Request validation failed", details);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, ?> details() {
        return details;
    }

    public Long retryAfter() {
        return retryAfter;
    }
}
