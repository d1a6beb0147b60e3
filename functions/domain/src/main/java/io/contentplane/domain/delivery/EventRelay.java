package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.OutboxEvent;
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
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves committed events from both outboxes (the parameter database's table and the DynamoDB
 * items) onto the fan-out queue: one message per event, whatever the number of distributors, so a
 * relay step is bounded ({@link #BATCH} events per outbox) and cheap; the fan-out itself runs from
 * the queue ({@link FanOut}). It also queues the messages of redeliveries. An outbox entry is
 * marked relayed only after its message is accepted, so a crash in between repeats a send (which
 * SQS deduplicates by event id) but never loses an event.
 */
// Only where the DynamoDB SDK, SQS and the JDBC stack (the relational outbox) are: the dispatcher, the local runner.
@Requires(classes = {DynamoDbEnhancedClient.class, JdbcOperations.class, SqsClient.class})
@Singleton
public class EventRelay {
    static final int BATCH = 100;
    private final EventOutboxRepository outbox;
    private final DynamoDbTable<EventOutboxItems.Entry> dynamoOutbox;
    private final DeliveryStore deliveries;
    private final DeliveryQueues queues;
    private final Clock clock = Clock.systemUTC();

    public EventRelay(EventOutboxRepository outbox, DynamoDbEnhancedClient dynamo, IntegrationTable table,
                      DeliveryStore deliveries, DeliveryQueues queues) {
        this.outbox = outbox;
        this.dynamoOutbox = dynamo.table(table.name(), EventOutboxItems.SCHEMA);
        this.deliveries = deliveries;
        this.queues = queues;
    }

    /**
     * Relays one batch from each outbox, merged in event time (a node's events reach its fan-out group in
     * the order they happened, whichever store recorded them), and the waiting redeliveries; returns how
     * many messages were queued. Where one outbox returned a full batch, the other's later events wait
     * for the next step: an event of the first may still come before them.
     */
    public int relay() {
        List<OutboxEvent> rows = outbox.pending(BATCH);
        // one Query call: the oldest BATCH events
        List<EventOutboxItems.Entry> items = dynamoOutbox.index(IntegrationTable.GSI1)
                .query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(EventOutboxItems.PARTITION)))
                        .limit(BATCH))
                .stream().findFirst().map(Page::items).orElse(List.of());
        boolean moreRows = rows.size() == BATCH;
        boolean moreItems = items.size() == BATCH;
        List<DeliveryMessages.FanOut> merged = new ArrayList<>();
        List<OutboxEvent> relayedRows = new ArrayList<>();
        List<EventOutboxItems.Entry> relayedItems = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (true) {
            DeliveryMessages.FanOut row = i < rows.size() ? fanOut(rows.get(i)) : null;
            DeliveryMessages.FanOut item = j < items.size() ? fanOut(items.get(j)) : null;
            boolean takeRow = row != null && (item == null ? !moreItems : !row.occurredAt().isAfter(item.occurredAt()));
            boolean takeItem = !takeRow && item != null && (row != null || !moreRows);
            if (takeRow) {
                merged.add(row);
                relayedRows.add(rows.get(i++));
            } else if (takeItem) {
                merged.add(item);
                relayedItems.add(items.get(j++));
            } else {
                break;
            }
        }
        queues.publishFanOut(merged);
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (OutboxEvent e : relayedRows) {
            outbox.markRelayed(e.eventId(), now);
        }
        for (EventOutboxItems.Entry item : relayedItems) {
            try {
                dynamoOutbox.deleteItem(DeleteItemEnhancedRequest.builder().key(dynamoOutbox.keyFrom(item))
                        .conditionExpression(Conditions.PRESENT).build());
            } catch (ConditionalCheckFailedException relayedElsewhere) {
                // another relay sent it at the same time; SQS dropped the second copy
            }
        }
        List<DeliveryStore.Redelivery> redeliveries = deliveries.redeliveries(BATCH);
        for (DeliveryStore.Redelivery r : redeliveries) {
            queues.publishDeliveries(List.of(new DeliveryMessages.Deliver(r.distributorId(), r.eventId())), "#r" + r.attempts());
            deliveries.redeliveryQueued(r);
        }
        return merged.size() + redeliveries.size();
    }

    private static DeliveryMessages.FanOut fanOut(OutboxEvent e) {
        return new DeliveryMessages.FanOut(e.eventId(), e.eventType(), e.nodeId(), e.occurredAt().toInstant(ZoneOffset.UTC), e.payload());
    }

    private static DeliveryMessages.FanOut fanOut(EventOutboxItems.Entry e) {
        return new DeliveryMessages.FanOut(e.eventId(), e.eventType(), e.nodeId(), e.occurredAt(), e.payload());
    }
}
