package io.contentplane.domain.integration;

import io.contentplane.domain.crypto.SecretCipher;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.event.NodeEvent;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Distributors in DynamoDB. Credentials and the signing secret are encrypted at rest, bound to
 * their distributor. Every change is written in one transaction with its event (the outbox item the
 * dispatcher relays), so an event exists if and only if its change committed. Updates are
 * read-modify-write with a version condition, retried on a race, so concurrent updates of different
 * fields both land.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class DistributorStore {
    static final String SK = "DISTRIBUTOR";
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;
    private final NodeRegistry nodes;
    private final SecretCipher cipher;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public DistributorStore(DynamoDbClient dynamo, IntegrationTable table, NodeRegistry nodes, SecretCipher cipher,
                            JsonMapper json) {
        this.dynamo = dynamo;
        this.table = table;
        this.nodes = nodes;
        this.cipher = cipher;
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
        try {
            write(nodes.liveNodeCheck(tenantId, nodeId),
                    Put.builder().tableName(table.name()).item(toItem(d)).conditionExpression("attribute_not_exists(pk)").build(),
                    null, event(EventTypes.DISTRIBUTOR_CREATED, d, now));
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                throw new NotFoundException("Node");
            }
            throw e;
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
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(Items.key("DISTRIBUTOR#" + id, SK)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
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
            Put put = Put.builder().tableName(table.name()).item(toItem(next)).conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", Items.n(current.version()))).build();
            try {
                write(null, put, null, eventType == null ? null : event(eventType, next, next.updatedAt()));
                return next;
            } catch (TransactionCanceledException raced) {
                // another writer got there first: apply our change to its result
            }
        }
        throw new IllegalStateException("Distributor " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    public void delete(String tenantId, String id) {
        Distributor current = get(tenantId, id);
        Delete delete = Delete.builder().tableName(table.name()).key(Items.key("DISTRIBUTOR#" + id, SK))
                .conditionExpression("tenant_id = :t").expressionAttributeValues(Map.of(":t", Items.s(tenantId))).build();
        try {
            write(null, null, delete, event(EventTypes.DISTRIBUTOR_DELETED, current.withMeta(null, clock.instant()), clock.instant()));
        } catch (TransactionCanceledException e) {
            throw new NotFoundException("Distributor");
        }
    }

    /** A page of a live node's distributors, oldest first. */
    public Page listForNode(String tenantId, String nodeId, int page, int perPage) {
        nodes.get(tenantId, nodeId);
        List<Distributor> all = ofNode(nodeId);
        return new Page(Items.page(all, page, perPage), all.size());
    }

    /** All distributors of a node, oldest first (the dispatcher's fan-out). */
    public List<Distributor> ofNode(String nodeId) {
        return dynamo.queryPaginator(QueryRequest.builder().tableName(table.name()).indexName(IntegrationTable.GSI1)
                        .keyConditionExpression("gsi1pk = :p")
                        .expressionAttributeValues(Map.of(":p", Items.s("NODE_DISTRIBUTORS#" + nodeId))).build())
                .items().stream().map(this::fromItem).toList();
    }

    /** One transaction: an optional condition, the distributor write (put or delete) and, if any, its event in the outbox. */
    private void write(@Nullable ConditionCheck condition, @Nullable Put put, @Nullable Delete delete,
                       @Nullable Map<String, AttributeValue> event) {
        List<TransactWriteItem> items = new ArrayList<>();
        if (condition != null) {
            items.add(TransactWriteItem.builder().conditionCheck(condition).build());
        }
        items.add(put != null ? TransactWriteItem.builder().put(put).build() : TransactWriteItem.builder().delete(delete).build());
        if (event != null) {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(event)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
        }
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
    }

    /** The outbox item of a distributor change; its data holds the new values, never credentials. */
    private Map<String, AttributeValue> event(String type, Distributor d, Instant at) {
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
        return EventOutboxItems.item(event, event.payload(json));
    }

    private Map<String, AttributeValue> toItem(Distributor d) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key("DISTRIBUTOR#" + d.id(), SK));
        item.put("id", Items.s(d.id()));
        item.put("tenant_id", Items.s(d.tenantId()));
        item.put("node_id", Items.s(d.nodeId()));
        item.put(IntegrationTable.GSI1_PK, Items.s("NODE_DISTRIBUTORS#" + d.nodeId()));
        item.put(IntegrationTable.GSI1_SK, Items.s(d.createdAt() + "#" + d.id()));
        item.put("created_at", Items.s(d.createdAt().toString()));
        item.put("updated_at", Items.s(d.updatedAt().toString()));
        item.put("version", Items.n(d.version()));
        item.put("signing_secret", Items.s(cipher.encrypt(d.signingSecret(), signingContext(d.id()))));
        WebhookMeta meta = d.meta();
        if (meta != null) {
            item.put("meta_host", Items.s(meta.host()));
            item.put("meta_path", Items.s(meta.path()));
            item.put("meta_method", Items.n(meta.method()));
            WebhookMeta.Authentication auth = meta.authentication();
            if (auth != null) {
                item.put("auth_type", Items.n(auth.type()));
                if (auth.username() != null) {
                    item.put("auth_username", Items.s(auth.username()));
                }
                item.put("auth_secret", Items.s(cipher.encrypt(auth.secret(), credentialContext(d.id()))));
            }
        }
        return item;
    }

    private Distributor fromItem(Map<String, AttributeValue> item) {
        String id = Items.string(item, "id");
        WebhookMeta meta = null;
        if (item.containsKey("meta_host")) {
            WebhookMeta.Authentication auth = null;
            if (item.containsKey("auth_type")) {
                int type = Items.number(item, "auth_type").intValue();
                String secret = cipher.decrypt(Items.string(item, "auth_secret"), credentialContext(id));
                auth = type == WebhookMeta.Authentication.BASIC
                        ? new WebhookMeta.Authentication(type, Items.string(item, "auth_username"), secret, null)
                        : new WebhookMeta.Authentication(type, null, null, secret);
            }
            meta = new WebhookMeta(Items.string(item, "meta_host"), Items.string(item, "meta_path"),
                    Items.number(item, "meta_method").intValue(), auth);
        }
        return new Distributor(id, Items.string(item, "tenant_id"), Items.string(item, "node_id"), meta,
                cipher.decrypt(Items.string(item, "signing_secret"), signingContext(id)),
                Instant.parse(Items.string(item, "created_at")), Instant.parse(Items.string(item, "updated_at")),
                Items.number(item, "version"));
    }

    private static String credentialContext(String distributorId) {
        return "distributor:" + distributorId + ":credential";
    }

    private static String signingContext(String distributorId) {
        return "distributor:" + distributorId + ":signing";
    }
}
