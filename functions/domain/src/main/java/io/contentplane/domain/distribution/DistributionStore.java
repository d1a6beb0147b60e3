package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

import static io.contentplane.domain.distribution.DistributionItems.DISTRIBUTION_SK;
import static io.contentplane.domain.distribution.DistributionItems.ROUTE_SK_PREFIX;
import static io.contentplane.domain.distribution.DistributionItems.UNIQUE_SK;

/**
 * Distributions in DynamoDB. An identifier is unique within its owner because the distribution and
 * its identifier claim are written in one transaction, the claim only if absent; an update that
 * changes the identifier, scope or owner moves the claim in the same transaction as the
 * version-checked write. Reads are strongly consistent, except the workspace list, which reads
 * the {@code gsi1} index (in AWS a distribution may show there a moment after its creation).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class DistributionStore {
    private static final String NOT_CLAIMED = "attribute_not_exists(pk)";
    private static final Comparator<Route> CREATION_ORDER = Comparator.comparing(Route::createdAt).thenComparing(Route::id);

    private final DynamoDbClient dynamo;
    private final DistributionsTable table;
    private final Clock clock = Clock.systemUTC();

    public DistributionStore(DynamoDbClient dynamo, DistributionsTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Creates a distribution with no routes. A given identifier that is taken is a conflict; one
     * generated from the name gets a random suffix instead.
     */
    public DistributionDetails create(String workspace, DistributionSettings requested) {
        boolean generated = requested.identifier() == null;
        String base = generated ? Identifiers.fromName(requested.name()) : requested.identifier();
        DistributionSettings settings = withIdentifier(requested, base);
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Distribution d = new Distribution(Ids.next(), workspace, settings, now, now, 1);
            OptionalInt failed = Transactions.write(dynamo, List.of(
                    DistributionItems.put(table.name(), DistributionItems.toItem(d), NOT_CLAIMED, Map.of()),
                    DistributionItems.put(table.name(), DistributionItems.claim(
                            DistributionItems.identifierClaim(workspace, settings), d.id(), null), NOT_CLAIMED, Map.of())));
            if (failed.isEmpty()) {
                return new DistributionDetails(d, List.of());
            }
            if (failed.getAsInt() == 1) {
                if (!generated) {
                    throw identifierTaken(settings);
                }
                settings = withIdentifier(requested, Identifiers.withSuffix(base));
            }
            // failed on item 0: the random id is taken; draw another
        }
        throw new IllegalStateException("Could not create a distribution after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /** The distribution with its routes, oldest route first. */
    public DistributionDetails get(String workspace, String id) {
        Distribution distribution = null;
        List<Route> routes = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", Items.s(DistributionItems.partition(workspace, id))))
                .consistentRead(true).build()).items()) {
            String sk = Items.string(item, DistributionsTable.SK);
            if (DISTRIBUTION_SK.equals(sk)) {
                distribution = DistributionItems.distribution(item);
            } else if (sk.startsWith(ROUTE_SK_PREFIX)) {
                routes.add(DistributionItems.route(item));
            }
        }
        if (distribution == null) {
            throw new ResourceNotFoundException("Distribution");
        }
        routes.sort(CREATION_ORDER);
        return new DistributionDetails(distribution, List.copyOf(routes));
    }

    /** One page of the workspace's distributions, oldest first. */
    public List<Distribution> list(String workspace, int page, int perPage) {
        // the stream stops fetching pages once this one is full
        return dynamo.queryPaginator(QueryRequest.builder().tableName(table.name()).indexName(DistributionsTable.GSI1)
                        .keyConditionExpression("gsi1pk = :p")
                        .expressionAttributeValues(Map.of(":p", Items.s(DistributionItems.workspaceIndex(workspace)))).build())
                .items().stream().skip((long) (page - 1) * perPage).limit(perPage).map(DistributionItems::distribution).toList();
    }

    /**
     * Applies {@code change} to the current settings and stores the result, conditional on the
     * version read; a lost race re-reads and applies the change again. {@code change} may throw to
     * refuse the request.
     */
    public DistributionDetails update(String workspace, String id, UnaryOperator<DistributionSettings> change) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            DistributionDetails current = get(workspace, id);
            Distribution before = current.distribution();
            Distribution after = new Distribution(id, workspace, change.apply(before.settings()), before.createdAt(),
                    clock.instant(), before.version() + 1);
            String oldClaim = DistributionItems.identifierClaim(workspace, before.settings());
            String newClaim = DistributionItems.identifierClaim(workspace, after.settings());
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(update(after, before.version()));
            if (!oldClaim.equals(newClaim)) {
                items.add(DistributionItems.delete(table.name(), oldClaim, UNIQUE_SK, "distribution_id = :d", Map.of(":d", Items.s(id))));
                items.add(DistributionItems.put(table.name(), DistributionItems.claim(newClaim, id, null), NOT_CLAIMED, Map.of()));
            }
            OptionalInt failed = Transactions.write(dynamo, items);
            if (failed.isEmpty()) {
                return new DistributionDetails(after, current.routes());
            }
            if (failed.getAsInt() == 2) {
                throw identifierTaken(after.settings());
            }
            // the distribution changed since it was read: read again
        }
        throw new IllegalStateException("Distribution " + id + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /**
     * Deletes the distribution, its routes and every claim they hold. Up to 49 routes this is one
     * transaction; beyond DynamoDB's 100 items per transaction, routes go first in transactions of
     * 49 (each also lowering the route count), then the rest with the distribution. A failure in
     * between leaves the distribution with fewer routes; deleting again finishes the job.
     */
    public void delete(String workspace, String id) {
        int batch = (Transactions.MAX_ITEMS - 2) / 2;
        int failures = 0;
        while (true) {
            DistributionDetails current = get(workspace, id);
            Distribution d = current.distribution();
            List<Route> routes = current.routes();
            boolean last = routes.size() <= batch;
            List<TransactWriteItem> items = new ArrayList<>();
            for (Route r : last ? routes : routes.subList(0, batch)) {
                items.addAll(DistributionItems.deleteRoute(table.name(), r));
            }
            if (last) {
                // route_count: no route was added since the read
                items.add(DistributionItems.delete(table.name(), DistributionItems.partition(workspace, id), DISTRIBUTION_SK,
                        "version = :v AND route_count = :n", Map.of(":v", Items.n(d.version()), ":n", Items.n(routes.size()))));
                items.add(DistributionItems.delete(table.name(), DistributionItems.identifierClaim(workspace, d.settings()),
                        UNIQUE_SK, "distribution_id = :d", Map.of(":d", Items.s(id))));
            } else {
                items.add(DistributionItems.countRoutes(table.name(), workspace, id, -batch));
            }
            if (Transactions.write(dynamo, items).isEmpty()) {
                if (last) {
                    return;
                }
                continue;
            }
            if (++failures >= OptimisticRetry.ATTEMPTS) {
                throw new IllegalStateException("Distribution " + id + " kept changing; gave up deleting it");
            }
            OptimisticRetry.pause(failures);
        }
    }

    private TransactWriteItem update(Distribution next, long expectedVersion) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : DistributionItems.mutableAttributes(next).entrySet()) {
            String name = "#a" + i;
            names.put(name, e.getKey()); // aliases throughout: "name" is a reserved word
            if (e.getValue() == null) {
                remove.add(name);
            } else {
                set.add(name + " = :a" + i);
                values.put(":a" + i, e.getValue());
            }
            i++;
        }
        values.put(":expected", Items.n(expectedVersion));
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Items.key(DistributionItems.partition(next.workspace(), next.id()), DISTRIBUTION_SK))
                .updateExpression(expression).conditionExpression("version = :expected")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    private static DistributionSettings withIdentifier(DistributionSettings s, String identifier) {
        return new DistributionSettings(s.name(), identifier, s.disabled(), s.scope(), s.projectName(), s.environmentId(),
                s.permissions());
    }

    private static ConflictException identifierTaken(DistributionSettings s) {
        String owner = switch (s.scope()) {
            case WORKSPACE -> "this workspace";
            case PROJECT -> "project " + s.projectName();
            case ENVIRONMENT -> "environment " + s.environmentId();
        };
        return new ConflictException("Identifier " + s.identifier() + " is already used by another distribution of " + owner);
    }
}
