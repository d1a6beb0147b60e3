package io.contentplane.domain.delivery;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.Counter;
import io.contentplane.domain.dynamo.Counters;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.ItemKeys;
import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.dynamo.Transactions;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * Deliveries live in their distributor's partition ({@code sk = DELIVERY#<occurred_at>#<event>}), so
 * a distributor's deliveries read back in event order: the record of each delivery's state and
 * attempts (the deliveries endpoint). What is due travels on SQS ({@link DeliveryQueues}).
 * Beside them, in the same partition and written in the same transaction as each delivery, are
 * its event's entry ({@code EVENT#<event>}, where its delivery is: delivery ids are event ids)
 * and the distributor's count of deliveries ({@code COUNT#DELIVERIES}). A redelivery is written
 * with an outbox entry ({@code REDELIVERY#<distributor>#<event>}, listed on the {@code gsi1}
 * partition {@code REDELIVERIES}) that the relay turns into its delivery message, so the API
 * function that redelivers needs no queue access and the message exists if and only if the
 * redelivery committed.
 */
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class DeliveryStore {
    static final String REDELIVERIES = "REDELIVERIES";
    private static final String DELIVERY_PREFIX = "DELIVERY#";
    private static final String DELIVERIES_COUNT = "COUNT#DELIVERIES";

    /** A delivery's event entry: which delivery of its distributor carries the event. */
    record EventEntry(String distributorId, String eventId, Instant occurredAt) {
    }

    /** A redelivery waiting for the relay to queue its message (the delivery's attempt count tells rounds apart). */
    public record Redelivery(String distributorId, String eventId, int attempts, Instant requestedAt) {
    }

    static final TableSchema<Delivery> SCHEMA = StaticImmutableTableSchema.builder(Delivery.class, DeliveryBuilder.class)
            .newItemBuilder(DeliveryBuilder::new, DeliveryBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(d -> partition(d.distributorId()))
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(d -> sortKey(d.occurredAt(), d.eventId()))
                    .setter((b, v) -> { }).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("distributor_id").getter(Delivery::distributorId)
                    .setter((b, v) -> b.distributorId = v))
            .addAttribute(String.class, a -> a.name("event_id").getter(Delivery::eventId).setter((b, v) -> b.eventId = v))
            .addAttribute(String.class, a -> a.name("event_type").getter(Delivery::eventType).setter((b, v) -> b.eventType = v))
            .addAttribute(String.class, a -> a.name("node_id").getter(Delivery::nodeId).setter((b, v) -> b.nodeId = v))
            .addAttribute(String.class, a -> a.name("payload").getter(Delivery::payload).setter((b, v) -> b.payload = v))
            .addAttribute(Instant.class, a -> a.name("occurred_at").getter(Delivery::occurredAt).setter((b, v) -> b.occurredAt = v))
            .addAttribute(String.class, a -> a.name("state").getter(d -> d.state().name())
                    .setter((b, v) -> b.state = Delivery.State.valueOf(v)))
            .addAttribute(Integer.class, a -> a.name("attempts").getter(Delivery::attempts).setter((b, v) -> b.attempts = v))
            .addAttribute(Integer.class, a -> a.name("last_status_code").getter(Delivery::lastStatusCode)
                    .setter((b, v) -> b.lastStatusCode = v))
            .addAttribute(String.class, a -> a.name("last_error").getter(Delivery::lastError).setter((b, v) -> b.lastError = v))
            .addAttribute(Instant.class, a -> a.name("next_attempt_at").getter(Delivery::nextAttemptAt)
                    .setter((b, v) -> b.nextAttemptAt = v))
            .addAttribute(Instant.class, a -> a.name("first_attempt_at").getter(Delivery::firstAttemptAt)
                    .setter((b, v) -> b.firstAttemptAt = v))
            .build();

    static final TableSchema<EventEntry> EVENT_SCHEMA = StaticImmutableTableSchema.builder(EventEntry.class, EventEntryBuilder.class)
            .newItemBuilder(EventEntryBuilder::new, EventEntryBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(e -> partition(e.distributorId()))
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(e -> "EVENT#" + e.eventId())
                    .setter((b, v) -> { }).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("distributor_id").getter(EventEntry::distributorId)
                    .setter((b, v) -> b.distributorId = v))
            .addAttribute(String.class, a -> a.name("event_id").getter(EventEntry::eventId).setter((b, v) -> b.eventId = v))
            .addAttribute(Instant.class, a -> a.name("occurred_at").getter(EventEntry::occurredAt)
                    .setter((b, v) -> b.occurredAt = v))
            .build();

    static final TableSchema<Redelivery> REDELIVERY_SCHEMA = StaticImmutableTableSchema.builder(Redelivery.class, RedeliveryBuilder.class)
            .newItemBuilder(RedeliveryBuilder::new, RedeliveryBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(r -> "REDELIVERY#" + r.distributorId() + "#" + r.eventId())
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(r -> "REDELIVERY").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_PK).getter(r -> REDELIVERIES).setter((b, v) -> { })
                    .tags(secondaryPartitionKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_SK)
                    .getter(r -> r.requestedAt() + "#" + r.distributorId() + "#" + r.eventId())
                    .setter((b, v) -> { }).tags(secondarySortKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name("distributor_id").getter(Redelivery::distributorId)
                    .setter((b, v) -> b.distributorId = v))
            .addAttribute(String.class, a -> a.name("event_id").getter(Redelivery::eventId).setter((b, v) -> b.eventId = v))
            .addAttribute(Integer.class, a -> a.name("attempts").getter(Redelivery::attempts).setter((b, v) -> b.attempts = v))
            .addAttribute(Instant.class, a -> a.name("requested_at").getter(Redelivery::requestedAt)
                    .setter((b, v) -> b.requestedAt = v))
            .build();

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<Delivery> deliveries;
    private final DynamoDbTable<ItemKeys> keys;
    private final DynamoDbTable<EventEntry> events;
    private final DynamoDbTable<Redelivery> redeliveries;
    private final DynamoDbTable<Counter> countUp;

    public DeliveryStore(DynamoDbEnhancedClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.deliveries = dynamo.table(table.name(), SCHEMA);
        this.keys = dynamo.table(table.name(), ItemKeys.SCHEMA);
        this.events = dynamo.table(table.name(), EVENT_SCHEMA);
        this.redeliveries = dynamo.table(table.name(), REDELIVERY_SCHEMA);
        this.countUp = dynamo.table(table.name(), Counters.UP);
    }

    /** Queues an event for a distributor; queuing the same event twice is a no-op (relays may repeat). */
    public void enqueue(String distributorId, String eventId, String eventType, String nodeId, String payload,
                        Instant occurredAt, Instant now) {
        Delivery d = new Delivery(distributorId, eventId, eventType, nodeId, payload, occurredAt, Delivery.State.PENDING,
                0, null, null, now, null);
        // at-least-once relay: if the event's entry exists, the first copy stands and nothing is written
        Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(events, TransactPutItemEnhancedRequest.builder(EventEntry.class)
                        .item(new EventEntry(distributorId, eventId, occurredAt)).conditionExpression(Conditions.ABSENT).build())
                .addPutItem(deliveries, TransactPutItemEnhancedRequest.builder(Delivery.class).item(d)
                        .conditionExpression(Conditions.ABSENT).build())
                .addUpdateItem(countUp, Counters.change(partition(distributorId), DELIVERIES_COUNT))
                .build());
    }

    /**
     * Records an attempt's outcome. Conditional on the attempt count: two workers holding copies of
     * the same message (at-least-once) never both record the same attempt.
     */
    public Delivery recordAttempt(Delivery d, Delivery.State state, @Nullable Integer statusCode, @Nullable String error,
                                  @Nullable Instant nextAttemptAt, Instant attemptedAt) {
        Instant first = d.firstAttemptAt() == null ? attemptedAt : d.firstAttemptAt();
        Delivery next = new Delivery(d.distributorId(), d.eventId(), d.eventType(), d.nodeId(), d.payload(), d.occurredAt(),
                state, d.attempts() + 1, statusCode, error, state == Delivery.State.PENDING ? nextAttemptAt : null, first);
        deliveries.putItem(PutItemEnhancedRequest.builder(Delivery.class).item(next)
                .conditionExpression(Conditions.of("attempts = :value", Conditions.n(d.attempts()))).build());
        return next;
    }

    /** A page of a distributor's deliveries, oldest event first, with their number. */
    public Page list(String distributorId, int page, int perPage) {
        long offset = Pages.offset(page, perPage);
        long total = Counters.read(countUp, partition(distributorId), DELIVERIES_COUNT);
        if (offset >= total) {
            return new Page(List.of(), total);
        }
        QueryConditional ofDistributor = QueryConditional.sortBeginsWith(k -> k.partitionValue(partition(distributorId))
                .sortValue(DELIVERY_PREFIX));
        return new Page(Pages.read(new Pages.Source<>(deliveries::query, keys::query, ofDistributor), page, perPage), total);
    }

    public record Page(List<Delivery> deliveries, long total) {
    }

    /** A distributor's delivery of an event: two reads, the event's entry then the delivery it names. */
    public Optional<Delivery> find(String distributorId, String eventId) {
        EventEntry entry = events.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(partition(distributorId)).sortValue("EVENT#" + eventId).build())
                .consistentRead(true).build());
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(deliveries.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(partition(distributorId)).sortValue(sortKey(entry.occurredAt(), eventId)).build())
                .consistentRead(true).build()));
    }

    /**
     * Puts a delivery back in its distributor's queue with a fresh retry window: the delivery and its
     * redelivery entry in one transaction, only over the delivery as read (an attempt recorded
     * meanwhile is not undone). The relay queues its message ({@link #redeliveries}).
     */
    public Delivery redeliver(Delivery d, Instant now) {
        Delivery queued = new Delivery(d.distributorId(), d.eventId(), d.eventType(), d.nodeId(), d.payload(), d.occurredAt(),
                Delivery.State.PENDING, d.attempts(), d.lastStatusCode(), d.lastError(), now, null);
        Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(deliveries, TransactPutItemEnhancedRequest.builder(Delivery.class).item(queued)
                        .conditionExpression(Conditions.of("attempts = :value", Conditions.n(d.attempts()))).build())
                .addPutItem(redeliveries, new Redelivery(d.distributorId(), d.eventId(), d.attempts(), now))
                .build()).ifPresent(failed -> {
                    throw ConditionalCheckFailedException.builder().message("the delivery changed meanwhile").build();
                });
        return queued;
    }

    /** The oldest redeliveries waiting for their message, at most {@code limit} (one Query call). */
    public List<Redelivery> redeliveries(int limit) {
        return redeliveries.index(IntegrationTable.GSI1)
                .query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(REDELIVERIES))).limit(limit))
                .stream().findFirst().map(software.amazon.awssdk.enhanced.dynamodb.model.Page::items).orElse(List.of());
    }

    /** Removes a redelivery entry once its message is queued. */
    public void redeliveryQueued(Redelivery r) {
        redeliveries.deleteItem(redeliveries.keyFrom(r));
    }

    private static String partition(String distributorId) {
        return "DISTRIBUTOR#" + distributorId;
    }

    private static String sortKey(Instant occurredAt, String eventId) {
        return DELIVERY_PREFIX + occurredAt + "#" + eventId;
    }

    private static final class DeliveryBuilder {
        private String distributorId;
        private String eventId;
        private String eventType;
        private String nodeId;
        private String payload;
        private Instant occurredAt;
        private Delivery.State state;
        private Integer attempts;
        private Integer lastStatusCode;
        private String lastError;
        private Instant nextAttemptAt;
        private Instant firstAttemptAt;

        Delivery build() {
            return new Delivery(distributorId, eventId, eventType, nodeId, payload, occurredAt, state, attempts,
                    lastStatusCode, lastError, nextAttemptAt, firstAttemptAt);
        }
    }

    private static final class EventEntryBuilder {
        private String distributorId;
        private String eventId;
        private Instant occurredAt;

        EventEntry build() {
            return new EventEntry(distributorId, eventId, occurredAt);
        }
    }

    private static final class RedeliveryBuilder {
        private String distributorId;
        private String eventId;
        private Integer attempts;
        private Instant requestedAt;

        Redelivery build() {
            return new Redelivery(distributorId, eventId, attempts, requestedAt);
        }
    }
}
