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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    /** Nodes whose relational events one step relays, each an equal share of the batch. */
    static final int NODES = 10;

    private record Candidate(DeliveryMessages.FanOut event, OutboxEvent row, EventOutboxItems.Entry item) {
    }
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
     * Relays one step, merged in event time per node (a node's events reach its fan-out group in the
     * order they happened, whichever store recorded them), and the waiting redeliveries; returns how
     * many messages were queued. From the relational outbox each of the (at most {@link #NODES}) nodes
     * waiting longest gets an equal share of the {@link #BATCH}, so a node flooding it (operator
     * calls) cannot hold back another node's events for more than a step. Where a share came back
     * full, the node's later DynamoDB events wait for the next step (an older row may precede them),
     * and so do rows later than a full DynamoDB batch.
     */
    public int relay() {
        List<String> nodes = outbox.pendingNodes(NODES);
        Map<String, List<OutboxEvent>> rowsByNode = new HashMap<>();
        for (String node : nodes) {
            rowsByNode.put(node, outbox.pendingOfNode(node, BATCH / nodes.size()));
        }
        boolean allNodesSeen = nodes.size() < NODES;
        // one Query call: the oldest BATCH events
        List<EventOutboxItems.Entry> items = dynamoOutbox.index(IntegrationTable.GSI1)
                .query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(EventOutboxItems.PARTITION)))
                        .limit(BATCH))
                .stream().findFirst().map(Page::items).orElse(List.of());
        Instant lastItem = items.size() == BATCH ? items.get(items.size() - 1).occurredAt() : null;
        List<Candidate> candidates = new ArrayList<>();
        for (List<OutboxEvent> rows : rowsByNode.values()) {
            for (OutboxEvent row : rows) {
                DeliveryMessages.FanOut event = fanOut(row);
                if (lastItem == null || !event.occurredAt().isAfter(lastItem)) {
                    candidates.add(new Candidate(event, row, null));
                }
            }
        }
        for (EventOutboxItems.Entry item : items) {
            List<OutboxEvent> rows = rowsByNode.get(item.nodeId());
            boolean safe = rows == null ? allNodesSeen
                    : rows.size() < BATCH / nodes.size() || !item.occurredAt().isAfter(fanOut(rows.get(rows.size() - 1)).occurredAt());
            if (safe) {
                candidates.add(new Candidate(fanOut(item), null, item));
            }
        }
        candidates.sort(Comparator.comparing(c -> c.event().occurredAt()));
        List<DeliveryMessages.FanOut> merged = candidates.stream().map(Candidate::event).toList();
        List<OutboxEvent> relayedRows = candidates.stream().map(Candidate::row).filter(Objects::nonNull).toList();
        List<EventOutboxItems.Entry> relayedItems = candidates.stream().map(Candidate::item).filter(Objects::nonNull).toList();
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
