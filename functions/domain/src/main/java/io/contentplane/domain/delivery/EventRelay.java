package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.OutboxEvent;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.EventOutboxItems;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Moves committed events from both outboxes (the parameter database's table and the DynamoDB
 * items) into a delivery per distributor of the event's node that has a webhook. Queuing is
 * idempotent, and an outbox entry is marked relayed only after its deliveries are queued, so a
 * crash in between repeats work but never loses an event.
 */
// Only where both the DynamoDB SDK and the JDBC stack (the relational outbox) are: the dispatcher, the local runner.
@Requires(classes = {DynamoDbClient.class, JdbcOperations.class})
@Singleton
public class EventRelay {
    static final int BATCH = 100;
    private final EventOutboxRepository outbox;
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;
    private final DistributorStore distributors;
    private final DeliveryStore deliveries;
    private final Clock clock = Clock.systemUTC();

    public EventRelay(EventOutboxRepository outbox, DynamoDbClient dynamo, IntegrationTable table,
                      DistributorStore distributors, DeliveryStore deliveries) {
        this.outbox = outbox;
        this.dynamo = dynamo;
        this.table = table;
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
        List<Map<String, AttributeValue>> items = dynamo.query(QueryRequest.builder().tableName(table.name())
                .indexName(IntegrationTable.GSI1).keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", Items.s(EventOutboxItems.PARTITION))).limit(BATCH).build()).items();
        for (Map<String, AttributeValue> item : items) {
            fanOut(Items.string(item, "node_id"), Items.string(item, "event_id"), Items.string(item, "event_type"),
                    Items.string(item, "payload"), Instant.parse(Items.string(item, "occurred_at")));
            try {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
                        .key(Items.key(Items.string(item, IntegrationTable.PK), Items.string(item, IntegrationTable.SK)))
                        .conditionExpression("attribute_exists(pk)").build());
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
