package io.contentplane.domain.integration;

import io.contentplane.domain.crypto.SecretCipher;
import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.Counter;
import io.contentplane.domain.dynamo.Counters;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.ItemKeys;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.dynamo.Transactions;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.event.NodeEvent;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * Distributors in DynamoDB ({@code DISTRIBUTOR#<id>} / {@code DISTRIBUTOR}, on their node's
 * {@code gsi1} partition oldest first). Credentials and the signing secret are encrypted at rest,
 * bound to their distributor. Every change is written in one transaction with its event (the
 * outbox item the dispatcher relays), so an event exists if and only if its change committed;
 * creations and deletions also count the node's distributors ({@code NODE#<node>} /
 * {@code COUNT#DISTRIBUTORS}). Updates are read-modify-write with a version condition, retried on
 * a race, so concurrent updates of different fields both land.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class DistributorStore {
    static final String SK = "DISTRIBUTOR";
    private static final String DISTRIBUTORS_COUNT = "COUNT#DISTRIBUTORS";

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<Distributor> distributors;
    private final DynamoDbIndex<Distributor> byNode;
    private final DynamoDbIndex<ItemKeys> keysByNode;
    private final DynamoDbTable<EventOutboxItems.Entry> outbox;
    private final DynamoDbTable<Counter> countUp;
    private final DynamoDbTable<Counter> countDown;
    private final NodeRegistry nodes;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public DistributorStore(DynamoDbEnhancedClient dynamo, IntegrationTable table, NodeRegistry nodes, SecretCipher cipher,
                            JsonMapper json) {
        this.dynamo = dynamo;
        this.distributors = dynamo.table(table.name(), schema(cipher));
        this.byNode = distributors.index(IntegrationTable.GSI1);
        this.keysByNode = dynamo.table(table.name(), ItemKeys.SCHEMA).index(IntegrationTable.GSI1);
        this.outbox = dynamo.table(table.name(), EventOutboxItems.SCHEMA);
        this.countUp = dynamo.table(table.name(), Counters.UP);
        this.countDown = dynamo.table(table.name(), Counters.DOWN);
        this.nodes = nodes;
        this.json = json;
    }

    public record Page(List<Distributor> distributors, long total) {
    }

    /**
     * Creates a distributor on a live node of the tenant. The node is checked inside the same
     * transaction (not read before it), so a node deleted concurrently never gains a distributor.
     */
    public Distributor create(String tenantId, String nodeId, @Nullable WebhookMeta meta) {
        if (!NodeRegistry.isUuid(nodeId)) {
            throw new NotFoundException("Node");
        }
        Instant now = clock.instant();
        Distributor d = new Distributor(UUID.randomUUID().toString(), tenantId, nodeId, meta,
                WebhookSignature.newSecret(), now, now, 1);
        // 0: the node is live; 1: the distributor; 2: its event; 3: the node's count of distributors
        OptionalInt failed = Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                .addConditionCheck(nodes.table(), nodes.liveNodeCheck(tenantId, nodeId))
                .addPutItem(distributors, TransactPutItemEnhancedRequest.builder(Distributor.class).item(d)
                        .conditionExpression(Conditions.ABSENT).build())
                .addPutItem(outbox, event(EventTypes.DISTRIBUTOR_CREATED, d, now))
                .addUpdateItem(countUp, Counters.change(NodeRegistry.partition(nodeId), DISTRIBUTORS_COUNT))
                .build());
        if (failed.isPresent()) {
            throw new NotFoundException("Node");
        }
        return d;
    }

    public Distributor get(String tenantId, String id) {
        return find(id).filter(d -> d.tenantId().equals(tenantId)).orElseThrow(() -> new NotFoundException("Distributor"));
    }

    /** Any tenant's distributor, for the dispatcher. */
    public Optional<Distributor> find(String id) {
        if (!NodeRegistry.isUuid(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(distributors.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(partition(id)).sortValue(SK).build()).consistentRead(true).build()));
    }

    /** Applies {@code change} to the current meta (null: none) and stores the result, retrying on a race. */
    public Distributor update(String tenantId, String id, UnaryOperator<WebhookMeta> change) {
        return rewrite(tenantId, id, current -> current.withMeta(change.apply(current.meta()), clock.instant()),
                EventTypes.DISTRIBUTOR_UPDATED);
    }

    /** Replaces the signing secret; deliveries from now on are signed with the new one. */
    public Distributor rotateSigningSecret(String tenantId, String id) {
        return rewrite(tenantId, id, current -> current.withSigningSecret(WebhookSignature.newSecret(), clock.instant()), null);
    }

    private Distributor rewrite(String tenantId, String id, UnaryOperator<Distributor> change, @Nullable String eventType) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Distributor current = get(tenantId, id);
            Distributor next = change.apply(current);
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(distributors, TransactPutItemEnhancedRequest.builder(Distributor.class).item(next)
                            .conditionExpression(Conditions.versionIs(current.version())).build());
            if (eventType != null) {
                write.addPutItem(outbox, event(eventType, next, next.updatedAt()));
            }
            if (Transactions.write(dynamo, write.build()).isEmpty()) {
                return next;
            }
            // another writer got there first: apply our change to its result
        }
        throw new IllegalStateException("Distributor " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    public void delete(String tenantId, String id) {
        Distributor current = get(tenantId, id);
        Instant now = clock.instant();
        OptionalInt failed = Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                .addDeleteItem(distributors, TransactDeleteItemEnhancedRequest.builder()
                        .key(Key.builder().partitionValue(partition(id)).sortValue(SK).build())
                        .conditionExpression(Conditions.equals("tenant_id", tenantId)).build())
                .addPutItem(outbox, event(EventTypes.DISTRIBUTOR_DELETED, current.withMeta(null, now), now))
                .addUpdateItem(countDown, Counters.change(NodeRegistry.partition(current.nodeId()), DISTRIBUTORS_COUNT))
                .build());
        if (failed.isPresent()) {
            throw new NotFoundException("Distributor"); // deleted meanwhile
        }
    }

    /** A page of a live node's distributors, oldest first, with their number. */
    public Page listForNode(String tenantId, String nodeId, int page, int perPage) {
        nodes.get(tenantId, nodeId);
        long offset = Pages.offset(page, perPage);
        long total = Counters.read(countUp, NodeRegistry.partition(nodeId), DISTRIBUTORS_COUNT);
        if (offset >= total) {
            return new Page(List.of(), total);
        }
        return new Page(Pages.read(new Pages.Source<>(byNode::query, keysByNode::query, ofNodeCondition(nodeId)), page, perPage),
                total);
    }

    /**
     * At most {@code limit} distributors of a node, oldest first, after the one at {@code after} (a
     * {@link #position}; null for the first): one page of the dispatcher's fan-out.
     */
    public List<Distributor> ofNode(String nodeId, @Nullable String after, int limit) {
        QueryConditional page = after == null ? ofNodeCondition(nodeId)
                : QueryConditional.sortGreaterThan(k -> k.partitionValue("NODE_DISTRIBUTORS#" + nodeId).sortValue(after));
        return byNode.query(r -> r.queryConditional(page).limit(limit)).stream().findFirst()
                .map(software.amazon.awssdk.enhanced.dynamodb.model.Page::items).orElse(List.of());
    }

    /** Where a distributor stands in its node's list ({@link #ofNode}'s cursor). */
    public static String position(Distributor d) {
        return d.createdAt() + "#" + d.id();
    }

    private static QueryConditional ofNodeCondition(String nodeId) {
        return QueryConditional.keyEqualTo(k -> k.partitionValue("NODE_DISTRIBUTORS#" + nodeId));
    }

    /** The outbox item of a distributor change; its data holds the new values, never credentials. */
    private TransactPutItemEnhancedRequest<EventOutboxItems.Entry> event(String type, Distributor d, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("distributor_id", d.id());
        if (d.meta() != null) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("host", d.meta().host());
            meta.put("path", d.meta().path());
            meta.put("method", d.meta().methodName());
            meta.put("authentication_type", d.meta().authentication() == null ? null : d.meta().authentication().type());
            data.put("meta", meta);
        } else {
            data.put("meta", null);
        }
        NodeEvent event = NodeEvent.of(type, d.nodeId(), at, data);
        return TransactPutItemEnhancedRequest.builder(EventOutboxItems.Entry.class)
                .item(new EventOutboxItems.Entry(event.id(), event.type(), event.nodeId(), event.occurredAt(), event.payload(json)))
                .conditionExpression(Conditions.ABSENT).build();
    }

    /**
     * A distributor item: the webhook's fields flat ({@code meta_*}, {@code auth_*}; none without a
     * webhook) and both secrets encrypted with the distributor's id as associated data, so a value
     * copied to another item does not decrypt. Built once per store, with its cipher.
     */
    private static TableSchema<Distributor> schema(SecretCipher cipher) {
        return StaticImmutableTableSchema.builder(Distributor.class, DistributorBuilder.class)
                .newItemBuilder(() -> new DistributorBuilder(cipher), DistributorBuilder::build)
                .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(d -> partition(d.id())).setter((b, v) -> { })
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(d -> SK).setter((b, v) -> { })
                        .tags(primarySortKey()))
                .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_PK).getter(d -> "NODE_DISTRIBUTORS#" + d.nodeId())
                        .setter((b, v) -> { }).tags(secondaryPartitionKey(IntegrationTable.GSI1)))
                .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_SK).getter(d -> d.createdAt() + "#" + d.id())
                        .setter((b, v) -> { }).tags(secondarySortKey(IntegrationTable.GSI1)))
                .addAttribute(String.class, a -> a.name("id").getter(Distributor::id).setter((b, v) -> b.id = v))
                .addAttribute(String.class, a -> a.name("tenant_id").getter(Distributor::tenantId).setter((b, v) -> b.tenantId = v))
                .addAttribute(String.class, a -> a.name("node_id").getter(Distributor::nodeId).setter((b, v) -> b.nodeId = v))
                .addAttribute(Instant.class, a -> a.name("created_at").getter(Distributor::createdAt)
                        .setter((b, v) -> b.createdAt = v))
                .addAttribute(Instant.class, a -> a.name("updated_at").getter(Distributor::updatedAt)
                        .setter((b, v) -> b.updatedAt = v))
                .addAttribute(Long.class, a -> a.name("version").getter(Distributor::version).setter((b, v) -> b.version = v))
                .addAttribute(String.class, a -> a.name("signing_secret")
                        .getter(d -> cipher.encrypt(d.signingSecret(), signingContext(d.id())))
                        .setter((b, v) -> b.signingSecret = v))
                .addAttribute(String.class, a -> a.name("meta_host").getter(d -> d.meta() == null ? null : d.meta().host())
                        .setter((b, v) -> b.metaHost = v))
                .addAttribute(String.class, a -> a.name("meta_path").getter(d -> d.meta() == null ? null : d.meta().path())
                        .setter((b, v) -> b.metaPath = v))
                .addAttribute(Integer.class, a -> a.name("meta_method").getter(d -> d.meta() == null ? null : d.meta().method())
                        .setter((b, v) -> b.metaMethod = v))
                .addAttribute(Integer.class, a -> a.name("auth_type").getter(d -> auth(d) == null ? null : auth(d).type())
                        .setter((b, v) -> b.authType = v))
                .addAttribute(String.class, a -> a.name("auth_username").getter(d -> auth(d) == null ? null : auth(d).username())
                        .setter((b, v) -> b.authUsername = v))
                .addAttribute(String.class, a -> a.name("auth_secret")
                        .getter(d -> auth(d) == null ? null : cipher.encrypt(auth(d).secret(), credentialContext(d.id())))
                        .setter((b, v) -> b.authSecret = v))
                .build();
    }

    private static WebhookMeta.Authentication auth(Distributor d) {
        return d.meta() == null ? null : d.meta().authentication();
    }

    private static String partition(String id) {
        return "DISTRIBUTOR#" + id;
    }

    private static String credentialContext(String distributorId) {
        return "distributor:" + distributorId + ":credential";
    }

    private static String signingContext(String distributorId) {
        return "distributor:" + distributorId + ":signing";
    }

    /** Collects a distributor item's attributes; decrypts the secrets once the id is known. */
    private static final class DistributorBuilder {
        private final SecretCipher cipher;
        private String id;
        private String tenantId;
        private String nodeId;
        private Instant createdAt;
        private Instant updatedAt;
        private Long version;
        private String signingSecret;
        private String metaHost;
        private String metaPath;
        private Integer metaMethod;
        private Integer authType;
        private String authUsername;
        private String authSecret;

        DistributorBuilder(SecretCipher cipher) {
            this.cipher = cipher;
        }

        Distributor build() {
            WebhookMeta meta = null;
            if (metaHost != null) {
                WebhookMeta.Authentication auth = null;
                if (authType != null) {
                    String secret = cipher.decrypt(authSecret, credentialContext(id));
                    auth = authType == WebhookMeta.Authentication.BASIC
                            ? new WebhookMeta.Authentication(authType, authUsername, secret, null)
                            : new WebhookMeta.Authentication(authType, null, null, secret);
                }
                meta = new WebhookMeta(metaHost, metaPath, metaMethod, auth);
            }
            return new Distributor(id, tenantId, nodeId, meta, cipher.decrypt(signingSecret, signingContext(id)),
                    createdAt, updatedAt, version);
        }
    }
}
