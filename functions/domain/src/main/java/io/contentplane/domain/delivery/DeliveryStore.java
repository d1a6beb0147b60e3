package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveries live in their distributor's partition ({@code sk = DELIVERY#<occurred_at>#<event>}), so
 * a distributor's deliveries read back in event order. PENDING ones are also on the sparse
 * {@code gsi1} partition {@code PENDING}, sorted by distributor then event time: the dispatcher's queue.
 */
@Requires(classes = DynamoDbClient.class)
@Singleton
public class DeliveryStore {
    static final String PENDING = "PENDING";
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;

    public DeliveryStore(DynamoDbClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Queues an event for a distributor; queuing the same event twice is a no-op (relays may repeat). */
    public void enqueue(String distributorId, String eventId, String eventType, String nodeId, String payload,
                        Instant occurredAt, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(distributorId, occurredAt, eventId));
        item.put("distributor_id", Items.s(distributorId));
        item.put("event_id", Items.s(eventId));
        item.put("event_type", Items.s(eventType));
        item.put("node_id", Items.s(nodeId));
        item.put("payload", Items.s(payload));
        item.put("occurred_at", Items.s(occurredAt.toString()));
        item.put("state", Items.s(Delivery.State.PENDING.name()));
        item.put("attempts", Items.n(0));
        item.put("next_attempt_at", Items.s(now.toString()));
        item.put(IntegrationTable.GSI1_PK, Items.s(PENDING));
        item.put(IntegrationTable.GSI1_SK, Items.s(distributorId + "#" + occurredAt + "#" + eventId));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
        } catch (ConditionalCheckFailedException alreadyQueued) {
            // at-least-once relay: the first copy stands
        }
    }

    /** The oldest PENDING delivery of each distributor that has one. */
    public List<Delivery> queueHeads() {
        Map<String, Delivery> heads = new LinkedHashMap<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table.name()).indexName(IntegrationTable.GSI1)
                        .keyConditionExpression("gsi1pk = :p").expressionAttributeValues(Map.of(":p", Items.s(PENDING))).build())
                .items().forEach(item -> heads.putIfAbsent(Items.string(item, "distributor_id"), fromItem(item)));
        return new ArrayList<>(heads.values());
    }

    /**
     * Claims a queue head for one attempt: only if it is still the PENDING delivery with the attempt
     * count that was read, and no unexpired claim exists. A head read before another attempt was
     * recorded (a stale index read, or a second dispatcher) fails here, so no duplicate request is sent.
     */
    public boolean claim(Delivery d, Instant now, Duration lease) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(d.distributorId(), d.occurredAt(), d.eventId()))
                    .updateExpression("SET claimed_until = :until")
                    .conditionExpression("#state = :pending AND attempts = :attempts AND "
                            + "(attribute_not_exists(claimed_until) OR claimed_until < :now)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":until", Items.s(now.plus(lease).toString()),
                            ":pending", Items.s(Delivery.State.PENDING.name()), ":attempts", Items.n(d.attempts()),
                            ":now", Items.s(now.toString())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    /** Records an attempt's outcome (and ends its claim); a delivery leaves the queue once delivered, failed or dead. */
    public Delivery recordAttempt(Delivery d, Delivery.State state, @Nullable Integer statusCode, @Nullable String error,
                                  @Nullable Instant nextAttemptAt, Instant attemptedAt) {
        Instant first = d.firstAttemptAt() == null ? attemptedAt : d.firstAttemptAt();
        Map<String, String> names = Map.of("#state", "state");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":state", Items.s(state.name()));
        values.put(":attempts", Items.n(d.attempts() + 1));
        values.put(":first", Items.s(first.toString()));
        values.put(":expected", Items.n(d.attempts()));
        StringBuilder set = new StringBuilder("SET #state = :state, attempts = :attempts, first_attempt_at = :first");
        StringBuilder remove = new StringBuilder(" REMOVE claimed_until");
        if (statusCode != null) {
            set.append(", last_status_code = :code");
            values.put(":code", Items.n(statusCode));
        } else {
            remove.append(", last_status_code");
        }
        if (error != null) {
            set.append(", last_error = :error");
            values.put(":error", Items.s(error));
        } else {
            remove.append(", last_error");
        }
        if (state == Delivery.State.PENDING) {
            set.append(", next_attempt_at = :next");
            values.put(":next", Items.s(nextAttemptAt.toString()));
        } else {
            remove.append(", next_attempt_at, gsi1pk, gsi1sk");
        }
        // Conditional on the attempt count: two dispatchers never both record the same attempt.
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(d.distributorId(), d.occurredAt(), d.eventId()))
                .updateExpression(set + remove.toString()).conditionExpression("attempts = :expected")
                .expressionAttributeNames(names).expressionAttributeValues(values).build());
        return new Delivery(d.distributorId(), d.eventId(), d.eventType(), d.nodeId(), d.payload(), d.occurredAt(), state,
                d.attempts() + 1, statusCode, error, state == Delivery.State.PENDING ? nextAttemptAt : null, first);
    }

    /** A distributor's deliveries, oldest event first, with the total. */
    public Page list(String distributorId, int page, int perPage) {
        List<Delivery> all = dynamo.queryPaginator(QueryRequest.builder().tableName(table.name())
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", Items.s("DISTRIBUTOR#" + distributorId), ":prefix", Items.s("DELIVERY#")))
                        .build())
                .items().stream().map(DeliveryStore::fromItem).toList();
        return new Page(Items.page(all, page, perPage), all.size());
    }

    public record Page(List<Delivery> deliveries, long total) {
    }

    public Optional<Delivery> find(String distributorId, String eventId) {
        return list(distributorId, 1, Integer.MAX_VALUE).deliveries().stream()
                .filter(d -> d.eventId().equals(eventId)).findFirst();
    }

    /** Puts a delivery back in its distributor's queue, due now, with a fresh retry window. */
    public Delivery redeliver(Delivery d, Instant now) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(d.distributorId(), d.occurredAt(), d.eventId()))
                .updateExpression("SET #state = :pending, next_attempt_at = :now, gsi1pk = :queue, gsi1sk = :order REMOVE first_attempt_at")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":pending", Items.s(Delivery.State.PENDING.name()), ":now", Items.s(now.toString()),
                        ":queue", Items.s(PENDING), ":order", Items.s(d.distributorId() + "#" + d.occurredAt() + "#" + d.eventId())))
                .build());
        return new Delivery(d.distributorId(), d.eventId(), d.eventType(), d.nodeId(), d.payload(), d.occurredAt(),
                Delivery.State.PENDING, d.attempts(), d.lastStatusCode(), d.lastError(), now, null);
    }

    private static Map<String, AttributeValue> key(String distributorId, Instant occurredAt, String eventId) {
        return Items.key("DISTRIBUTOR#" + distributorId, "DELIVERY#" + occurredAt + "#" + eventId);
    }

    private static Delivery fromItem(Map<String, AttributeValue> item) {
        Long code = Items.number(item, "last_status_code");
        String next = Items.string(item, "next_attempt_at");
        String first = Items.string(item, "first_attempt_at");
        return new Delivery(Items.string(item, "distributor_id"), Items.string(item, "event_id"),
                Items.string(item, "event_type"), Items.string(item, "node_id"), Items.string(item, "payload"),
                Instant.parse(Items.string(item, "occurred_at")), Delivery.State.valueOf(Items.string(item, "state")),
                Items.number(item, "attempts").intValue(), code == null ? null : code.intValue(),
                Items.string(item, "last_error"), next == null ? null : Instant.parse(next),
                first == null ? null : Instant.parse(first));
    }
}
