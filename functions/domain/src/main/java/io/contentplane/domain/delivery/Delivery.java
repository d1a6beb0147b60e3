package io.contentplane.domain.delivery;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * One event on its way to one distributor's webhook. Deliveries of a distributor go out in event
 * order: only the oldest PENDING one is attempted; the rest wait behind it.
 */
public record Delivery(
        String distributorId,
        String eventId,
        String eventType,
        String nodeId,
        String payload,
        Instant occurredAt,
        State state,
        int attempts,
        @Nullable Integer lastStatusCode,
        @Nullable String lastError,
        @Nullable Instant nextAttemptAt,
        @Nullable Instant firstAttemptAt) {

    public enum State {
        /** Waiting for its (next) attempt. */
        PENDING,
        /** The webhook answered 2xx. */
        DELIVERED,
        /** The webhook refused it for good (4xx other than 408/429, 3xx) or the webhook is gone. */
        FAILED,
        /** Retried for the whole retry window without success: dead-lettered. */
        DEAD
    }
}
