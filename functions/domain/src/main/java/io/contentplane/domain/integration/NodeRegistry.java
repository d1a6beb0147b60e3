package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.Counter;
import io.contentplane.domain.dynamo.Counters;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.ItemKeys;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.dynamo.Transactions;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * The integration API's nodes in DynamoDB ({@code NODE#<id>} / {@code NODE}). {@code int_id}s come
 * from an atomic counter; a node's parent must exist in the same tenant and be of the type just
 * above; deletion is soft (the item stays, marked deleted and dropped from its parent's children
 * index). A parent's live children are counted ({@code NODE#<parent>} / {@code COUNT#CHILDREN}) in
 * the same transaction as a child's creation or deletion, so a children page answers its total
 * without reading the children.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class NodeRegistry {
    static final String SK = "NODE";
    private static final String CHILDREN_COUNT = "COUNT#CHILDREN";
    private static final Expression LIVE = Conditions.of("attribute_exists(pk) AND attribute_not_exists(deleted_at)");

    /**
     * A node item. A child of a live node is on its parent's children partition of {@code gsi1},
     * ordered by {@code int_id}; a deleted node on none.
     */
    static final TableSchema<Node> SCHEMA = StaticImmutableTableSchema.builder(Node.class, NodeBuilder.class)
            .newItemBuilder(NodeBuilder::new, NodeBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(n -> partition(n.id())).setter((b, v) -> { })
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(n -> SK).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_PK)
                    .getter(n -> n.parentId() == null || n.deletedAt() != null ? null : childrenPartition(n.tenantId(), n.parentId()))
                    .setter((b, v) -> { }).tags(secondaryPartitionKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name(IntegrationTable.GSI1_SK)
                    .getter(n -> n.parentId() == null || n.deletedAt() != null ? null : String.format("%019d", n.intId()))
                    .setter((b, v) -> { }).tags(secondarySortKey(IntegrationTable.GSI1)))
            .addAttribute(String.class, a -> a.name("id").getter(Node::id).setter((b, v) -> b.id = v))
            .addAttribute(String.class, a -> a.name("tenant_id").getter(Node::tenantId).setter((b, v) -> b.tenantId = v))
            .addAttribute(String.class, a -> a.name("parent_id").getter(Node::parentId).setter((b, v) -> b.parentId = v))
            .addAttribute(String.class, a -> a.name("name").getter(Node::name).setter((b, v) -> b.name = v))
            .addAttribute(Integer.class, a -> a.name("type").getter(Node::type).setter((b, v) -> b.type = v))
            .addAttribute(String.class, a -> a.name("path").getter(Node::path).setter((b, v) -> b.path = v))
            .addAttribute(Long.class, a -> a.name("int_id").getter(Node::intId).setter((b, v) -> b.intId = v))
            .addAttribute(Instant.class, a -> a.name("created_at").getter(Node::createdAt).setter((b, v) -> b.createdAt = v))
            .addAttribute(Instant.class, a -> a.name("updated_at").getter(Node::updatedAt).setter((b, v) -> b.updatedAt = v))
            .addAttribute(Long.class, a -> a.name("version").getter(Node::version).setter((b, v) -> b.version = v))
            .addAttribute(Instant.class, a -> a.name("deleted_at").getter(Node::deletedAt).setter((b, v) -> b.deletedAt = v))
            .build();

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<Node> nodes;
    private final DynamoDbTable<Counter> countUp;
    private final DynamoDbTable<Counter> countDown;
    private final DynamoDbIndex<Node> children;
    private final DynamoDbIndex<ItemKeys> childKeys;
    private final Clock clock = Clock.systemUTC();

    public NodeRegistry(DynamoDbEnhancedClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.nodes = dynamo.table(table.name(), SCHEMA);
        this.countUp = dynamo.table(table.name(), Counters.UP);
        this.countDown = dynamo.table(table.name(), Counters.DOWN);
        this.children = nodes.index(IntegrationTable.GSI1);
        this.childKeys = dynamo.table(table.name(), ItemKeys.SCHEMA).index(IntegrationTable.GSI1);
    }

    public record Page(List<Node> nodes, long total) {
    }

    public Node create(String tenantId, String parentId, String name, int type) {
        if (type == Node.APEX) {
            if (parentId != null) {
                throw new InvalidRequestException("Validation failed", Map.of("parent_id", "an Apex node (type 1) has no parent"));
            }
            long intId = nextIntId();
            Instant now = clock.instant();
            Node node = new Node(UUID.randomUUID().toString(), tenantId, null, name, type, Long.toString(intId), intId,
                    now, now, 1, null);
            nodes.putItem(PutItemEnhancedRequest.builder(Node.class).item(node).conditionExpression(Conditions.ABSENT).build());
            return node;
        }
        if (parentId == null) {
            throw new InvalidRequestException("Validation failed", Map.of("parent_id", "is required for type " + type));
        }
        Node parent = find(tenantId, parentId).orElseThrow(NodeRegistry::noSuchParent);
        if (parent.type() != type - 1) {
            throw new InvalidRequestException("Validation failed", Map.of("parent_id",
                    type == Node.ACCOUNT ? "an Account's parent must be an Apex (type 1)"
                            : "a SubAccount's parent must be an Account (type 2)"));
        }
        long intId = nextIntId();
        Instant now = clock.instant();
        Node node = new Node(UUID.randomUUID().toString(), tenantId, parentId, name, type, parent.path() + "." + intId, intId,
                now, now, 1, null);
        // 0: the parent is still live; 1: the node; 2: the parent's count of children
        OptionalInt failed = Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                .addConditionCheck(nodes, liveNodeCheck(tenantId, parentId))
                .addPutItem(nodes, TransactPutItemEnhancedRequest.builder(Node.class).item(node)
                        .conditionExpression(Conditions.ABSENT).build())
                .addUpdateItem(countUp, Counters.change(partition(parentId), CHILDREN_COUNT))
                .build());
        if (failed.isPresent()) {
            throw noSuchParent(); // deleted since it was read (a random UUID is never taken)
        }
        return node;
    }

    /**
     * Registers an Apex node under a known id unless it exists (the default node {@code NODE_ID},
     * so that the seeds' examples address it through every API).
     */
    public void ensureApex(String tenantId, String id, String name) {
        Instant now = clock.instant();
        long intId = nextIntId();
        Node node = new Node(id, tenantId, null, name, Node.APEX, Long.toString(intId), intId, now, now, 1, null);
        try {
            nodes.putItem(PutItemEnhancedRequest.builder(Node.class).item(node).conditionExpression(Conditions.ABSENT).build());
        } catch (ConditionalCheckFailedException alreadyRegistered) {
            // kept from an earlier start; its counter value stays unused
        }
    }

    public Optional<Node> find(String tenantId, String id) {
        if (!isUuid(id)) {
            return Optional.empty();
        }
        Node node = nodes.getItem(GetItemEnhancedRequest.builder().key(key(id)).consistentRead(true).build());
        if (node == null || node.deletedAt() != null || !tenantId.equals(node.tenantId())) {
            return Optional.empty();
        }
        return Optional.of(node);
    }

    public Node get(String tenantId, String id) {
        return find(tenantId, id).orElseThrow(() -> new NotFoundException("Node"));
    }

    /** Renames a node; conditional on its version, so a concurrent change is never overwritten. */
    public Node rename(String tenantId, String id, String name) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Node current = get(tenantId, id);
            Node renamed = new Node(current.id(), tenantId, current.parentId(), name, current.type(), current.path(),
                    current.intId(), current.createdAt(), clock.instant(), current.version() + 1, null);
            try {
                nodes.putItem(PutItemEnhancedRequest.builder(Node.class).item(renamed)
                        .conditionExpression(Conditions.and(Conditions.versionIs(current.version()), LIVE)).build());
                return renamed;
            } catch (ConditionalCheckFailedException raced) {
                // changed or deleted meanwhile: read again
            }
        }
        throw new IllegalStateException("Node " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /** A transaction condition: the node exists, is not deleted and belongs to the tenant. */
    ConditionCheck<Node> liveNodeCheck(String tenantId, String id) {
        return ConditionCheck.builder().key(key(id))
                .conditionExpression(Conditions.and(LIVE, Conditions.equals("tenant_id", tenantId))).build();
    }

    /** The table a {@link #liveNodeCheck} applies to, for other stores' transactions. */
    DynamoDbTable<Node> table() {
        return nodes;
    }

    /**
     * Soft delete: the node answers 404 from now on; its children and distributors stay untouched.
     * Conditional on the version read, and its parent's count of children goes down with it.
     */
    public void delete(String tenantId, String id) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Node current = get(tenantId, id);
            Node deleted = new Node(current.id(), tenantId, current.parentId(), current.name(), current.type(),
                    current.path(), current.intId(), current.createdAt(), current.updatedAt(), current.version(),
                    clock.instant());
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(nodes, TransactPutItemEnhancedRequest.builder(Node.class).item(deleted)
                            .conditionExpression(Conditions.and(Conditions.versionIs(current.version()), LIVE)).build());
            if (current.parentId() != null) {
                write.addUpdateItem(countDown, Counters.change(partition(current.parentId()), CHILDREN_COUNT));
            }
            if (Transactions.write(dynamo, write.build()).isEmpty()) {
                return;
            }
            // renamed or deleted meanwhile: read again (gone is 404)
        }
        throw new IllegalStateException("Node " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /** A page of a node's live children, ordered by int_id, with their number. */
    public Page children(String tenantId, String parentId, int page, int perPage) {
        get(tenantId, parentId);
        long offset = Pages.offset(page, perPage);
        long total = Counters.read(countUp, partition(parentId), CHILDREN_COUNT);
        if (offset >= total) {
            return new Page(List.of(), total);
        }
        QueryConditional ofParent = QueryConditional.keyEqualTo(k -> k.partitionValue(childrenPartition(tenantId, parentId)));
        return new Page(Pages.read(new Pages.Source<>(children::query, childKeys::query, ofParent), page, perPage), total);
    }

    private long nextIntId() {
        return countUp.updateItem(Counters.changeNow("COUNTER#node_int_id", "COUNTER")).count();
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

    private static InvalidRequestException noSuchParent() {
        return new InvalidRequestException("Validation failed", Map.of("parent_id", "no such node"));
    }

    static String partition(String id) {
        return "NODE#" + id;
    }

    private static Key key(String id) {
        return Key.builder().partitionValue(partition(id)).sortValue(SK).build();
    }

    private static String childrenPartition(String tenantId, String parentId) {
        return "CHILDREN#" + tenantId + "#" + parentId;
    }

    private static final class NodeBuilder {
        private String id;
        private String tenantId;
        private String parentId;
        private String name;
        private Integer type;
        private String path;
        private Long intId;
        private Instant createdAt;
        private Instant updatedAt;
        private Long version;
        private Instant deletedAt;

        Node build() {
            return new Node(id, tenantId, parentId, name, type, path, intId, createdAt, updatedAt, version, deletedAt);
        }
    }
}
