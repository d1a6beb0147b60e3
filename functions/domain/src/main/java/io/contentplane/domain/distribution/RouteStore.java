package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.OptimisticRetry;
import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.dynamo.Transactions;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * Routes of distributions ({@code DIST#<workspace>#<distribution>} / {@code ROUTE#<id>}, listed on
 * {@code gsi1} in creation order). A host and path belong to at most one route of a workspace: each
 * route holds a claim on them, written (or moved) in the same transaction as the route. Creating a
 * route checks, in its transaction, that its distribution exists, so no route outlives a
 * concurrently deleted distribution; creating or deleting one counts a route change of the
 * distribution, which a distribution's delete checks.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class RouteStore {
    private final DynamoDbEnhancedClient dynamo;
    private final DistributionStore distributions;
    private final Clock clock = Clock.systemUTC();

    public RouteStore(DynamoDbEnhancedClient dynamo, DistributionStore distributions) {
        this.dynamo = dynamo;
        this.distributions = distributions;
    }

    public Route create(String workspace, String distributionId, RouteSettings settings) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Route route = new Route(Ids.next(), distributionId, workspace, settings, now, now, 1);
            // 0: the distribution exists; 1: the route (its random id is new); 2: its host claim; 3: the route changes
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder();
            distributions.requireDistribution(write, workspace, distributionId);
            distributions.putRoute(write, route, Conditions.ABSENT);
            write.addPutItem(distributions.claims(), distributions.claim(
                    DistributionItems.hostClaim(workspace, settings), distributionId, route.id()));
            distributions.countRouteChange(write, workspace, distributionId);
            OptionalInt failed = Transactions.write(dynamo, write.build());
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

    /** One page of the distribution's routes, oldest first (the {@code gsi1} index, which may lag a write). */
    public List<Route> list(String workspace, String distributionId, int page, int perPage) {
        Pages.offset(page, perPage);
        if (!distributions.exists(workspace, distributionId)) {
            throw new ResourceNotFoundException("Distribution");
        }
        return Pages.read(distributions.routeList(workspace, distributionId), page, perPage);
    }

    public Route get(String workspace, String distributionId, String routeId) {
        Route route = distributions.route(workspace, distributionId, routeId);
        if (route != null) {
            return route;
        }
        throw new ResourceNotFoundException(distributions.exists(workspace, distributionId) ? "Route" : "Distribution");
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
            // 0: the route, unchanged since read; 1: the old claim, still its own; 2: the new claim, free
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder();
            distributions.putRoute(write, after, Conditions.versionIs(before.version()));
            if (!oldClaim.equals(newClaim)) {
                write.addDeleteItem(distributions.claims(), TransactDeleteItemEnhancedRequest.builder()
                        .key(DistributionStore.claimKey(oldClaim)).conditionExpression(Conditions.equals("route_id", routeId))
                        .build());
                write.addPutItem(distributions.claims(), distributions.claim(newClaim, distributionId, routeId));
            }
            OptionalInt failed = Transactions.write(dynamo, write.build());
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
            TransactWriteItemsEnhancedRequest.Builder write = TransactWriteItemsEnhancedRequest.builder();
            distributions.deleteRoute(write, route);
            distributions.countRouteChange(write, workspace, distributionId);
            if (Transactions.write(dynamo, write.build()).isEmpty()) {
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
