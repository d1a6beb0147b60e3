package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

import static io.contentplane.domain.distribution.DistributionItems.UNIQUE_SK;

/**
 * Routes of distributions. A host and path belong to at most one route of a workspace: each route
 * holds a claim on them, written (or moved) in the same transaction as the route. Creating or
 * deleting a route also counts it on its distribution, conditional on the distribution existing,
 * so no route outlives a concurrently deleted distribution.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class RouteStore {
    private static final String NOT_CLAIMED = "attribute_not_exists(pk)";

    private final DynamoDbClient dynamo;
    private final DistributionsTable table;
    private final DistributionStore distributions;
    private final Clock clock = Clock.systemUTC();

    public RouteStore(DynamoDbClient dynamo, DistributionsTable table, DistributionStore distributions) {
        this.dynamo = dynamo;
        this.table = table;
        this.distributions = distributions;
    }

    public Route create(String workspace, String distributionId, RouteSettings settings) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Route route = new Route(Ids.next(), distributionId, workspace, settings, now, now, 1);
            OptionalInt failed = Transactions.write(dynamo, List.of(
                    DistributionItems.countRoutes(table.name(), workspace, distributionId, 1),
                    DistributionItems.put(table.name(), DistributionItems.toItem(route), NOT_CLAIMED, Map.of()),
                    DistributionItems.put(table.name(), DistributionItems.claim(
                            DistributionItems.hostClaim(workspace, settings), distributionId, route.id()), NOT_CLAIMED, Map.of())));
            if (failed.isEmpty()) {
                return route;
            }
            switch (failed.getAsInt()) {
                case 0 -> throw new ResourceNotFoundException("Distribution");
                case 2 -> throw hostTaken(settings);
                default -> {
                    // the random id is taken within this distribution; draw another
                }
            }
        }
        throw new IllegalStateException("Could not create a route after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    /** One page of the distribution's routes, oldest first. */
    public List<Route> list(String workspace, String distributionId, int page, int perPage) {
        return Items.page(distributions.get(workspace, distributionId).routes(), page, perPage);
    }

    public Route get(String workspace, String distributionId, String routeId) {
        return distributions.get(workspace, distributionId).routes().stream()
                .filter(r -> r.id().equals(routeId)).findFirst()
                .orElseThrow(() -> new ResourceNotFoundException("Route"));
    }

    /**
     * Applies {@code change} to the route's settings and stores the result, conditional on the
     * version read, moving its host claim when host or path change. {@code change} may throw to
     * refuse the request.
     */
    public Route update(String workspace, String distributionId, String routeId, UnaryOperator<RouteSettings> change) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Route before = get(workspace, distributionId, routeId);
            Route after = new Route(routeId, distributionId, workspace, change.apply(before.settings()), before.createdAt(),
                    clock.instant(), before.version() + 1);
            String oldClaim = DistributionItems.hostClaim(workspace, before.settings());
            String newClaim = DistributionItems.hostClaim(workspace, after.settings());
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(DistributionItems.put(table.name(), DistributionItems.toItem(after), "version = :v",
                    Map.of(":v", Items.n(before.version()))));
            if (!oldClaim.equals(newClaim)) {
                items.add(DistributionItems.delete(table.name(), oldClaim, UNIQUE_SK, "route_id = :r", Map.of(":r", Items.s(routeId))));
                items.add(DistributionItems.put(table.name(), DistributionItems.claim(newClaim, distributionId, routeId),
                        NOT_CLAIMED, Map.of()));
            }
            OptionalInt failed = Transactions.write(dynamo, items);
            if (failed.isEmpty()) {
                return after;
            }
            if (failed.getAsInt() == 2) {
                throw hostTaken(after.settings());
            }
            // the route changed or went since it was read: read again
        }
        throw new IllegalStateException("Route " + routeId + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    public void delete(String workspace, String distributionId, String routeId) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            Route route = get(workspace, distributionId, routeId);
            List<TransactWriteItem> items = new ArrayList<>(DistributionItems.deleteRoute(table.name(), route));
            items.add(DistributionItems.countRoutes(table.name(), workspace, distributionId, -1));
            if (Transactions.write(dynamo, items).isEmpty()) {
                return;
            }
            // changed meanwhile: read again (a route that is gone is 404)
        }
        throw new IllegalStateException("Route " + routeId + " kept changing; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }

    private static ConflictException hostTaken(RouteSettings s) {
        return new ConflictException("Another route of this workspace already serves host " + s.host()
                + (s.path().isEmpty() ? " with an empty path" : " and path " + s.path()));
    }
}
