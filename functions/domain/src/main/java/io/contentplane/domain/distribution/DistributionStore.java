package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.Counter;
import io.contentplane.domain.dynamo.Counters;
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
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactUpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

import static io.contentplane.domain.distribution.DistributionItems.DISTRIBUTION_SK;
import static io.contentplane.domain.distribution.DistributionItems.ROUTE_CHANGES_SK;
import static io.contentplane.domain.distribution.DistributionItems.UNIQUE_SK;

/**
 * Distributions in DynamoDB. An identifier is unique within its owner because the distribution and
 * its identifier claim are written in one transaction, the claim only if absent; an update that
 * changes the identifier, scope or owner moves the claim in the same transaction as the
 * version-checked write. Reads are strongly consistent, except the workspace list, which reads
 * the {@code gsi1} index (in AWS a distribution may show there a moment after its creation).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class DistributionStore {
    private static final Comparator<Route> CREATION_ORDER = Comparator.comparing(Route::createdAt).thenComparing(Route::id);

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<Distribution> distributions;
    private final DynamoDbTable<DistributionItems.Claim> claims;
    private final DynamoDbTable<Route> routes;
    private final DynamoDbTable<Object> partitions;
    private final DynamoDbTable<Counter> routeChanges;
    private final DynamoDbIndex<ItemKeys> keysIndex;
    private final Clock clock = Clock.systemUTC();

    public DistributionStore(DynamoDbEnhancedClient dynamo, DistributionsTable table) {
        this.dynamo = dynamo;
        this.distributions = dynamo.table(table.name(), DistributionItems.DISTRIBUTION);
        this.claims = dynamo.table(table.name(), DistributionItems.CLAIM);
        this.routes = dynamo.table(table.name(), DistributionItems.ROUTE);
        this.partitions = dynamo.table(table.name(), DistributionItems.PARTITION);
        this.routeChanges = dynamo.table(table.name(), Counters.UP);
        this.keysIndex = dynamo.table(table.name(), ItemKeys.SCHEMA).index(DistributionsTable.GSI1);
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
            // 0: the distribution (its random id is new); 1: its identifier claim
            OptionalInt failed = Transactions.write(dynamo, TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(distributions, create(d, Distribution.class))
                    .addPutItem(claims, claim(DistributionItems.identifierClaim(workspace, settings), d.id(), null))
                    .build());
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

    /** The distribution with its routes, oldest route first: one consistent Query of its partition. */
    public DistributionDetails get(String workspace, String id) {
        return read(workspace, id).details();
    }

    /** One page of the workspace's distributions, oldest first. */
    public List<Distribution> list(String workspace, int page, int perPage) {
        QueryConditional ofWorkspace = QueryConditional.keyEqualTo(k -> k.partitionValue(DistributionItems.workspaceIndex(workspace)));
        return Pages.read(new Pages.Source<>(distributions.index(DistributionsTable.GSI1)::query, keysIndex::query, ofWorkspace),
                page, perPage);
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
            // 0: the distribution, unchanged since read; 1: the old claim, still its own; 2: the new claim, free
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(distributions, TransactPutItemEnhancedRequest.builder(Distribution.class).item(after)
                            .conditionExpression(Conditions.versionIs(before.version())).build());
            if (!oldClaim.equals(newClaim)) {
                write.addDeleteItem(claims, TransactDeleteItemEnhancedRequest.builder().key(claimKey(oldClaim))
                        .conditionExpression(Conditions.equals("distribution_id", id)).build());
                write.addPutItem(claims, claim(newClaim, id, null));
            }
            OptionalInt failed = Transactions.write(dynamo, write.build());
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
     * Deletes the distribution, its routes and every claim they hold. Up to {@value #ROUTES_PER_TRANSACTION}
     * routes this is one transaction; beyond DynamoDB's 100 items per transaction, routes go first
     * in transactions of {@value #ROUTES_PER_TRANSACTION} (each also counted as route changes), then
     * the rest with the distribution, conditional on no route having come or gone since the read.
     * A failure in between leaves the distribution with fewer routes; deleting again finishes the job.
     */
    public void delete(String workspace, String id) {
        int failures = 0;
        while (true) {
            Partition current = read(workspace, id);
            Distribution d = current.distribution();
            List<Route> all = current.routes();
            boolean last = all.size() <= ROUTES_PER_TRANSACTION;
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder();
            for (Route r : last ? all : all.subList(0, ROUTES_PER_TRANSACTION)) {
                deleteRoute(write, r);
            }
            if (last) {
                write.addDeleteItem(distributions, TransactDeleteItemEnhancedRequest.builder().key(key(workspace, id))
                        .conditionExpression(Conditions.versionIs(d.version())).build());
                write.addDeleteItem(claims, TransactDeleteItemEnhancedRequest.builder()
                        .key(claimKey(DistributionItems.identifierClaim(workspace, d.settings())))
                        .conditionExpression(Conditions.equals("distribution_id", id)).build());
                write.addDeleteItem(routeChanges, TransactDeleteItemEnhancedRequest.builder()
                        .key(Key.builder().partitionValue(DistributionItems.partition(workspace, id)).sortValue(ROUTE_CHANGES_SK).build())
                        .conditionExpression(current.routeChanges() == null
                                ? Conditions.of("attribute_not_exists(" + Counters.VALUE + ")")
                                : Conditions.of(Counters.VALUE + " = :value", Conditions.n(current.routeChanges())))
                        .build());
            } else {
                countRouteChange(write, workspace, id);
            }
            if (Transactions.write(dynamo, write.build()).isEmpty()) {
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

    /** Routes deleted along with the distribution in one transaction: 2 items each, 3 more for the distribution. */
    static final int ROUTES_PER_TRANSACTION = (Transactions.MAX_ITEMS - 3) / 2;

    // ---- what RouteStore shares ----

    /** The route, by its key (a consistent read); null when it does not exist. */
    Route route(String workspace, String distributionId, String routeId) {
        return routes.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(DistributionItems.partition(workspace, distributionId))
                        .sortValue(DistributionItems.ROUTE_SK_PREFIX + routeId).build())
                .consistentRead(true).build());
    }

    /** Whether the distribution exists (a consistent read of its item alone). */
    boolean exists(String workspace, String id) {
        return distributions.getItem(GetItemEnhancedRequest.builder().key(key(workspace, id)).consistentRead(true).build()) != null;
    }

    /** The distribution's routes on {@code gsi1}, for a page of them in creation order. */
    Pages.Source<Route> routeList(String workspace, String distributionId) {
        return new Pages.Source<>(routes.index(DistributionsTable.GSI1)::query, keysIndex::query,
                QueryConditional.keyEqualTo(k -> k.partitionValue(DistributionItems.routesIndex(workspace, distributionId))));
    }

    /** A transaction item: the distribution exists (a route may be added to it). */
    void requireDistribution(TransactWriteItemsEnhancedRequest.Builder write, String workspace, String id) {
        write.addConditionCheck(distributions, ConditionCheck.builder().key(key(workspace, id))
                .conditionExpression(Conditions.PRESENT).build());
    }

    /** Transaction items: one more route change of the distribution. */
    void countRouteChange(TransactWriteItemsEnhancedRequest.Builder write, String workspace, String id) {
        write.addUpdateItem(routeChanges, TransactUpdateItemEnhancedRequest.builder(Counter.class)
                .item(Counter.at(DistributionItems.partition(workspace, id), ROUTE_CHANGES_SK)).ignoreNulls(true).build());
    }

    /** Transaction items: a route, unless it changed since it was read, with its host claim (2 items). */
    void deleteRoute(TransactWriteItemsEnhancedRequest.Builder write, Route r) {
        write.addDeleteItem(routes, TransactDeleteItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(DistributionItems.partition(r.workspace(), r.distributionId()))
                        .sortValue(DistributionItems.ROUTE_SK_PREFIX + r.id()).build())
                .conditionExpression(Conditions.versionIs(r.version())).build());
        write.addDeleteItem(claims, TransactDeleteItemEnhancedRequest.builder()
                .key(claimKey(DistributionItems.hostClaim(r.workspace(), r.settings())))
                .conditionExpression(Conditions.equals("route_id", r.id())).build());
    }

    /** Transaction items: a route (or its new version) and its host claim. */
    void putRoute(TransactWriteItemsEnhancedRequest.Builder write, Route r, Expression condition) {
        write.addPutItem(routes, TransactPutItemEnhancedRequest.builder(Route.class).item(r).conditionExpression(condition).build());
    }

    TransactPutItemEnhancedRequest<DistributionItems.Claim> claim(String key, String distributionId, String routeId) {
        return create(new DistributionItems.Claim(key, distributionId, routeId), DistributionItems.Claim.class);
    }

    DynamoDbTable<DistributionItems.Claim> claims() {
        return claims;
    }

    static Key claimKey(String claim) {
        return Key.builder().partitionValue(claim).sortValue(UNIQUE_SK).build();
    }

    /** What one consistent Query of a distribution's partition holds. */
    private record Partition(Distribution distribution, List<Route> routes, Long routeChanges) {
        DistributionDetails details() {
            return new DistributionDetails(distribution, routes);
        }
    }

    private Partition read(String workspace, String id) {
        Distribution distribution = null;
        List<Route> found = new ArrayList<>();
        Long changes = null;
        QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(DistributionItems.partition(workspace, id))))
                .consistentRead(true).build();
        for (Object item : partitions.query(query).items()) {
            if (item instanceof Distribution d) {
                distribution = d;
            } else if (item instanceof Route r) {
                found.add(r);
            } else if (item instanceof Counter c) {
                changes = c.value();
            }
        }
        if (distribution == null) {
            throw new ResourceNotFoundException("Distribution");
        }
        found.sort(CREATION_ORDER);
        return new Partition(distribution, List.copyOf(found), changes);
    }

    private static <T> TransactPutItemEnhancedRequest<T> create(T item, Class<T> type) {
        return TransactPutItemEnhancedRequest.builder(type).item(item).conditionExpression(Conditions.ABSENT).build();
    }

    private static Key key(String workspace, String id) {
        return Key.builder().partitionValue(DistributionItems.partition(workspace, id)).sortValue(DISTRIBUTION_SK).build();
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
