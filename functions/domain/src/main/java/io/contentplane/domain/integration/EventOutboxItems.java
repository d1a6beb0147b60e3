package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * The DynamoDB outbox: an event item ({@code EVENT#<id>} / {@code EVENT}) written in the same
 * transaction as the change it describes, listed on the {@code gsi1} partition {@code OUTBOX} in
 * time order until the dispatcher relays it.
 */
public final class EventOutboxItems {
    public static final String PARTITION = "OUTBOX";

    /** An event waiting in the outbox, with its delivered payload. */
    public record Entry(String eventId, String eventType, String nodeId, Instant occurredAt, String payload) {
    }

    public static final TableSchema<Entry> SCHEMA = StaticImmutableTableSchema.builder(Entry.class, EntryBuilder.class)
            .newItemBuilder(EntryBuilder::new, EntryBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(e -> "EVENT#" + e.eventId()).setter((b, v) -> { })
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(e -> "EVENT").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_PK).getter(e -> PARTITION).setter((b, v) -> { })
                    .tags(secondaryPartitionKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_SK).getter(e -> e.occurredAt() + "#" + e.eventId())
                    .setter((b, v) -> { }).tags(secondarySortKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name("event_id").getter(Entry::eventId).setter((b, v) -> b.eventId = v))
            .addAttribute(String.class, a -> a.name("event_type").getter(Entry::eventType).setter((b, v) -> b.eventType = v))
            .addAttribute(String.class, a -> a.name("node_id").getter(Entry::nodeId).setter((b, v) -> b.nodeId = v))
            .addAttribute(Instant.class, a -> a.name("occurred_at").getter(Entry::occurredAt).setter((b, v) -> b.occurredAt = v))
            .addAttribute(String.class, a -> a.name("payload").getter(Entry::payload).setter((b, v) -> b.payload = v))
            .build();

    private EventOutboxItems() {
    }

    private static final class EntryBuilder {
        private String eventId;
        private String eventType;
        private String nodeId;
        private Instant occurredAt;
        private String payload;

        Entry build() {
            return new Entry(eventId, eventType, nodeId, occurredAt, payload);
        }
    }
}
