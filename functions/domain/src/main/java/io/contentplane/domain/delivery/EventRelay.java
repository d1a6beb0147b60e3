package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.OutboxEvent;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.EventOutboxItems;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Moves committed events from both outboxes (the parameter database's table and the DynamoDB
 * items) into a delivery per distributor of the event's node that has a webhook. Queuing is
 * idempotent, and an outbox entry is marked relayed only after its deliveries are queued, so a
 * crash in between repeats work but never loses an event.
 */
// Only where both the DynamoDB SDK and the JDBC stack (the relational outbox) are: the dispatcher, the local runner.
@Requires(classes = {DynamoDbEnhancedClient.class, JdbcOperations.class})
@Singleton
public class EventRelay {
    static final int BATCH = 100;
    private final EventOutboxRepository outbox;
    private final DynamoDbTable<EventOutboxItems.Entry> dynamoOutbox;
    private final DistributorStore distributors;
    private final DeliveryStore deliveries;
    private final Clock clock = Clock.systemUTC();

    public EventRelay(EventOutboxRepository outbox, DynamoDbEnhancedClient dynamo, IntegrationTable table,
                      DistributorStore distributors, DeliveryStore deliveries) {
        this.outbox = outbox;
        this.dynamoOutbox = dynamo.table(table.name(), EventOutboxItems.SCHEMA);
        this.distributors = distributors;
        this.deliveries = deliveries;
    }

    /** Relays one batch from each outbox; returns how many events were relayed. */
    public int relay() {
        int relayed = 0;
        for (OutboxEvent e : outbox.pending(BATCH)) {
            fanOut(e.nodeId(), e.eventId(), e.eventType(), e.payload(), e.occurredAt().toInstant(ZoneOffset.UTC));
            outbox.markRelayed(e.eventId(), LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            relayed++;
        }
        // one Query call: the oldest BATCH events
        List<EventOutboxItems.Entry> items = dynamoOutbox.index(IntegrationTable.GSI1)
                .query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(EventOutboxItems.PARTITION)))
                        .limit(BATCH))
                .stream().findFirst().map(Page::items).orElse(List.of());
        for (EventOutboxItems.Entry item : items) {
            fanOut(item.nodeId(), item.eventId(), item.eventType(), item.payload(), item.occurredAt());
            try {
                dynamoOutbox.deleteItem(DeleteItemEnhancedRequest.builder().key(dynamoOutbox.keyFrom(item))
                        .conditionExpression(Conditions.PRESENT).build());
            } catch (ConditionalCheckFailedException relayedElsewhere) {
                // another dispatcher relayed it at the same time; queuing was idempotent
            }
            relayed++;
        }
        return relayed;
    }

    private void fanOut(String nodeId, String eventId, String type, String payload, Instant occurredAt) {
        Instant now = clock.instant();
        for (Distributor d : distributors.ofNode(nodeId)) {
            // a distributor hears of what happens from its own creation on, not of the node's past
            if (d.meta() != null && !d.createdAt().isAfter(occurredAt)) {
                deliveries.enqueue(d.id(), eventId, type, nodeId, payload, occurredAt, now);
            }
        }
    }
}
