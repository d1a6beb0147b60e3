package io.contentplane.domain.delivery;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The bodies of the two queues' messages (JSON). */
public final class DeliveryMessages {
    private DeliveryMessages() {
    }

    /** An event to fan out to its node's distributors: one message per event (fan-out queue, group = node). */
    @Serdeable
    public record FanOut(String eventId, String eventType, String nodeId, Instant occurredAt, String payload) {
    }

    /** An event for one distributor (delivery queue, group = distributor): its delivery is in {@link DeliveryStore}. */
    @Serdeable
    public record Deliver(String distributorId, String eventId) {
    }
}
