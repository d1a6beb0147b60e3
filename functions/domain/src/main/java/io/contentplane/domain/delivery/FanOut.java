package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Fans an event out to its node's distributors one bounded page at a time: each step reads at most
 * {@code page} distributors after the cursor, queues their deliveries ({@link DeliveryStore}, then one
 * delivery message each) and saves the cursor ({@code FANOUT#<event>} / {@code CURSOR}). A step that
 * did not reach the end returns false: its message goes back to the head of its node's group and the
 * next step resumes at the cursor. So a node with many distributors takes many short steps, and
 * other nodes' messages (other groups) are handed out between them. Every write is idempotent, so a
 * step repeated after a crash only repeats work.
 */
@Requires(classes = {DynamoDbEnhancedClient.class, SqsClient.class})
@Singleton
public class FanOut {
    /** A fan-out in progress: the position of the last distributor done. */
    record Cursor(String eventId, String after) {
    }

    static final TableSchema<Cursor> CURSOR_SCHEMA = StaticImmutableTableSchema.builder(Cursor.class, CursorBuilder.class)
            .newItemBuilder(CursorBuilder::new, CursorBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(c -> "FANOUT#" + c.eventId())
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(c -> "CURSOR").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("event_id").getter(Cursor::eventId).setter((b, v) -> b.eventId = v))
            .addAttribute(String.class, a -> a.name("after").getter(Cursor::after).setter((b, v) -> b.after = v))
            .build();

    private final DistributorStore distributors;
    private final DeliveryStore deliveries;
    private final DeliveryQueues queues;
    private final DynamoDbTable<Cursor> cursors;
    private final int page;
    private final Clock clock = Clock.systemUTC();

    public FanOut(DistributorStore distributors, DeliveryStore deliveries, DeliveryQueues queues,
                  DynamoDbEnhancedClient dynamo, IntegrationTable table, @Value("${delivery.fan-out-page:25}") int page) {
        this.distributors = distributors;
        this.deliveries = deliveries;
        this.queues = queues;
        this.cursors = dynamo.table(table.name(), CURSOR_SCHEMA);
        this.page = page;
    }

    /** One step of an event's fan-out; true when every distributor of the node has its delivery. */
    public boolean step(DeliveryMessages.FanOut event) {
        Key key = Key.builder().partitionValue("FANOUT#" + event.eventId()).sortValue("CURSOR").build();
        Cursor cursor = cursors.getItem(GetItemEnhancedRequest.builder().key(key).consistentRead(true).build());
        List<Distributor> batch = distributors.ofNode(event.nodeId(), cursor == null ? null : cursor.after(), page);
        Instant now = clock.instant();
        List<DeliveryMessages.Deliver> messages = new ArrayList<>();
        for (Distributor d : batch) {
            // a distributor hears of what happens from its own creation on, not of the node's past
            if (d.meta() != null && !d.createdAt().isAfter(event.occurredAt())) {
                deliveries.enqueue(d.id(), event.eventId(), event.eventType(), event.nodeId(), event.payload(),
                        event.occurredAt(), now);
                messages.add(new DeliveryMessages.Deliver(d.id(), event.eventId()));
            }
        }
        queues.publishDeliveries(messages, "");
        if (batch.size() < page) {
            if (cursor != null) {
                cursors.deleteItem(key);
            }
            return true;
        }
        cursors.putItem(new Cursor(event.eventId(), DistributorStore.position(batch.get(batch.size() - 1))));
        return false;
    }

    private static final class CursorBuilder {
        private String eventId;
        private String after;

        Cursor build() {
            return new Cursor(eventId, after);
        }
    }
}
