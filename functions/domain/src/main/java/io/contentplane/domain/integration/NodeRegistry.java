package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The integration API's nodes in DynamoDB. {@code int_id}s come from an atomic counter; a node's
 * parent must exist in the same tenant and be of the type just above; deletion is soft (the item
 * stays, marked deleted and dropped from its parent's children index).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class NodeRegistry {
    static final String SK = "NODE";
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;
    private final Clock clock = Clock.systemUTC();

    public NodeRegistry(DynamoDbClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public record Page(List<Node> nodes, long total) {
    }

    public Node create(String tenantId, String parentId, String name, int type) {
        String path;
        if (type == Node.APEX) {
            if (parentId != null) {
                throw new InvalidRequestException("Validation failed", Map.of("parent_id", "an Apex node (type 1) has no parent"));
            }
            path = null;
        } else {
            if (parentId == null) {
                throw new InvalidRequestException("Validation failed", Map.of("parent_id", "is required for type " + type));
            }
            Node parent = find(tenantId, parentId).orElseThrow(() -> new InvalidRequestException(
                    "Validation failed", Map.of("parent_id", "no such node")));
            if (parent.type() != type - 1) {
                throw new InvalidRequestException("Validation failed", Map.of("parent_id",
                        type == Node.ACCOUNT ? "an Account's parent must be an Apex (type 1)"
                                : "a SubAccount's parent must be an Account (type 2)"));
            }
            path = parent.path();
        }
        long intId = nextIntId();
        Instant now = clock.instant();
        Node node = new Node(UUID.randomUUID().toString(), tenantId, parentId, name, type,
                path == null ? Long.toString(intId) : path + "." + intId, intId, now, now, 1);
        dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(node))
                .conditionExpression("attribute_not_exists(pk)").build());
        return node;
    }

    /**
     * Registers an Apex node under a known id unless it exists (the default node {@code NODE_ID},
     * so that the seeds' examples address it through every API).
     */
    public void ensureApex(String tenantId, String id, String name) {
        Instant now = clock.instant();
        long intId = nextIntId();
        Node node = new Node(id, tenantId, null, name, Node.APEX, Long.toString(intId), intId, now, now, 1);
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(node))
                    .conditionExpression("attribute_not_exists(pk)").build());
        } catch (ConditionalCheckFailedException alreadyRegistered) {
            // kept from an earlier start; its counter value stays unused
        }
    }

    public Optional<Node> find(String tenantId, String id) {
        if (!isUuid(id)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(Items.key("NODE#" + id, SK)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty() || item.containsKey("deleted_at")
                || !tenantId.equals(Items.string(item, "tenant_id"))) {
            return Optional.empty();
        }
        return Optional.of(fromItem(item));
    }

    public Node get(String tenantId, String id) {
        return find(tenantId, id).orElseThrow(() -> new NotFoundException("Node"));
    }

    /** Renames a node; conditional on its version, so a concurrent change is never overwritten. */
    public Node rename(String tenantId, String id, String name) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Node current = get(tenantId, id);
            Instant now = clock.instant();
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Items.key("NODE#" + id, SK))
                        .updateExpression("SET #name = :name, updated_at = :now, version = :next")
                        .conditionExpression("version = :version AND attribute_not_exists(deleted_at)")
                        .expressionAttributeNames(Map.of("#name", "name"))
                        .expressionAttributeValues(Map.of(":name", Items.s(name), ":now", Items.s(now.toString()),
                                ":next", Items.n(current.version() + 1), ":version", Items.n(current.version())))
                        .returnValues(ReturnValue.ALL_NEW).build());
                return new Node(current.id(), tenantId, current.parentId(), name, current.type(), current.path(),
                        current.intId(), current.createdAt(), now, current.version() + 1);
            } catch (ConditionalCheckFailedException raced) {
                // changed or deleted meanwhile: read again
            }
        }
        throw new IllegalStateException("Node " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /** A transaction condition: the node exists, is not deleted and belongs to the tenant. */
    public ConditionCheck liveNodeCheck(String tenantId, String id) {
        return ConditionCheck.builder().tableName(table.name()).key(Items.key("NODE#" + id, SK))
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deleted_at) AND tenant_id = :tenant")
                .expressionAttributeValues(Map.of(":tenant", Items.s(tenantId))).build();
    }

    /** Soft delete: the node answers 404 from now on; its children and distributors stay untouched. */
    public void delete(String tenantId, String id) {
        if (!isUuid(id)) {
            throw new NotFoundException("Node");
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Items.key("NODE#" + id, SK))
                    .updateExpression("SET deleted_at = :now REMOVE gsi1pk, gsi1sk")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deleted_at) AND tenant_id = :tenant")
                    .expressionAttributeValues(Map.of(":now", Items.s(clock.instant().toString()), ":tenant", Items.s(tenantId)))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new NotFoundException("Node");
        }
    }

    /** A page of a node's live children, ordered by int_id. */
    public Page children(String tenantId, String parentId, int page, int perPage) {
        get(tenantId, parentId);
        List<Map<String, AttributeValue>> all = dynamo.queryPaginator(QueryRequest.builder().tableName(table.name())
                .indexName(IntegrationTable.GSI1).keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", Items.s(childrenPartition(tenantId, parentId)))).build())
                .items().stream().toList();
        return new Page(Items.page(all, page, perPage).stream().map(NodeRegistry::fromItem).toList(), all.size());
    }

    private long nextIntId() {
        Map<String, AttributeValue> updated = dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Items.key("COUNTER#node_int_id", "COUNTER"))
                .updateExpression("ADD counter_value :one")
                .expressionAttributeValues(Map.of(":one", Items.n(1)))
                .returnValues(ReturnValue.UPDATED_NEW).build()).attributes();
        return Items.number(updated, "counter_value");
    }

    static boolean isUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String childrenPartition(String tenantId, String parentId) {
        return "CHILDREN#" + tenantId + "#" + parentId;
    }

    private static Map<String, AttributeValue> toItem(Node node) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key("NODE#" + node.id(), SK));
        item.put("id", Items.s(node.id()));
        item.put("tenant_id", Items.s(node.tenantId()));
        if (node.parentId() != null) {
            item.put("parent_id", Items.s(node.parentId()));
            item.put(IntegrationTable.GSI1_PK, Items.s(childrenPartition(node.tenantId(), node.parentId())));
            item.put(IntegrationTable.GSI1_SK, Items.s(String.format("%019d", node.intId())));
        }
        item.put("name", Items.s(node.name()));
        item.put("type", Items.n(node.type()));
        item.put("path", Items.s(node.path()));
        item.put("int_id", Items.n(node.intId()));
        item.put("created_at", Items.s(node.createdAt().toString()));
        item.put("updated_at", Items.s(node.updatedAt().toString()));
        item.put("version", Items.n(node.version()));
        return item;
    }

    private static Node fromItem(Map<String, AttributeValue> item) {
        return new Node(Items.string(item, "id"), Items.string(item, "tenant_id"), Items.string(item, "parent_id"),
                Items.string(item, "name"), Items.number(item, "type").intValue(), Items.string(item, "path"),
                Items.number(item, "int_id"), Instant.parse(Items.string(item, "created_at")),
                Instant.parse(Items.string(item, "updated_at")), Items.number(item, "version"));
    }
}
