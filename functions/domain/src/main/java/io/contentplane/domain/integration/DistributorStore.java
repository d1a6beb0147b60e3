package io.contentplane.domain.integration;

import io.contentplane.domain.crypto.SecretCipher;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Distributors in DynamoDB. Credentials (password or token) are encrypted at rest, bound to their
 * distributor. Updates are read-modify-write with a version condition and retried on a race, so two
 * concurrent updates of different fields both land.
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
    private final Clock clock = Clock.systemUTC();

    public DistributorStore(DynamoDbClient dynamo, IntegrationTable table, NodeRegistry nodes, SecretCipher cipher) {
        this.dynamo = dynamo;
        this.table = table;
        this.nodes = nodes;
        this.cipher = cipher;
    }

    public record Page(List<Distributor> distributors, long total) {
    }

    public Distributor create(String tenantId, String nodeId, WebhookMeta meta) {
        nodes.get(tenantId, nodeId);
        Instant now = clock.instant();
        Distributor d = new Distributor(UUID.randomUUID().toString(), tenantId, nodeId, meta, now, now, 1);
        dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(d))
                .conditionExpression("attribute_not_exists(pk)").build());
        return d;
    }

    public Distributor get(String tenantId, String id) {
        if (!NodeRegistry.isUuid(id)) {
            throw new NotFoundException("Distributor");
        }
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(Items.key("DISTRIBUTOR#" + id, SK)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty() || !tenantId.equals(Items.string(item, "tenant_id"))) {
            throw new NotFoundException("Distributor");
        }
        return fromItem(item);
    }

    /** Applies {@code change} to the current meta (null: none) and stores the result, retrying on a race. */
    public Distributor update(String tenantId, String id, UnaryOperator<WebhookMeta> change) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Distributor current = get(tenantId, id);
            Distributor next = new Distributor(id, tenantId, current.nodeId(), change.apply(current.meta()),
                    current.createdAt(), clock.instant(), current.version() + 1);
            try {
                dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(next))
                        .conditionExpression("version = :v")
                        .expressionAttributeValues(Map.of(":v", Items.n(current.version()))).build());
                return next;
            } catch (ConditionalCheckFailedException raced) {
                // another writer got there first: apply our change to its result
            }
        }
        throw new IllegalStateException("Distributor " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    public void delete(String tenantId, String id) {
        if (!NodeRegistry.isUuid(id)) {
            throw new NotFoundException("Distributor");
        }
        try {
            dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(Items.key("DISTRIBUTOR#" + id, SK))
                    .conditionExpression("tenant_id = :t").expressionAttributeValues(Map.of(":t", Items.s(tenantId))).build());
        } catch (ConditionalCheckFailedException e) {
            throw new NotFoundException("Distributor");
        }
    }

    /** A page of a live node's distributors, oldest first. */
    public Page listForNode(String tenantId, String nodeId, int page, int perPage) {
        nodes.get(tenantId, nodeId);
        long skip = (long) (page - 1) * perPage;
        long total = 0;
        List<Distributor> result = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse response = dynamo.query(QueryRequest.builder().tableName(table.name()).indexName(IntegrationTable.GSI1)
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", Items.s("NODE_DISTRIBUTORS#" + nodeId)))
                    .exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> item : response.items()) {
                if (total >= skip && result.size() < perPage) {
                    result.add(fromItem(item));
                }
                total++;
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return new Page(result, total);
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
                Instant.parse(Items.string(item, "created_at")), Instant.parse(Items.string(item, "updated_at")),
                Items.number(item, "version"));
    }

    private static String credentialContext(String distributorId) {
        return "distributor:" + distributorId + ":credential";
    }
}
