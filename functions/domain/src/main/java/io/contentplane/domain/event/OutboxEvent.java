package io.contentplane.domain.event;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.core.annotation.Nullable;

import java.time.LocalDateTime;

/** A row of the relational outbox (see V2__event_outbox.sql). */
@Introspected
@MappedEntity("event_outbox")
public record OutboxEvent(
        @Id @GeneratedValue Long seq,
        @MappedProperty("event_id") String eventId,
        @MappedProperty("node_id") String nodeId,
        @MappedProperty("event_type") String eventType,
        String payload,
        @MappedProperty("occurred_at") LocalDateTime occurredAt,
        @Nullable @MappedProperty("relayed_at") LocalDateTime relayedAt) {
}
