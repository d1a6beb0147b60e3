package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.DistributionsTable;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The distributions function's SnapStart priming: requests through the handler that change
 * nothing. Its own test context, because the DynamoDB request counter must be in place before the client
 * is built.
 */
class DistributionsPrimingTest extends DistributionsTestSupport {
    @Inject
    DynamoDbRequestCounter dynamoRequests;

    @Test
    void primingRunsRequestsThroughTheHandlerAndWritesNothing() throws IOException {
        String token = context.getBean(DistributionTokens.class).issue("user-1", DistributionsTestSupport.ALL_SCOPES,
                List.of("ws-primed"), Duration.ofMinutes(10));
        String distributions = "/workspaces/ws-primed/distributions";
        String id = (String) created(post(distributions, token, SEED_WORKSPACE)).get("id");
        created(post(distributions + "/" + id + "/routes", token, DistributionsTestSupport.SEED_ROUTE_EXTERNAL));
        long items = items();
        // the distribution, its route, their uniqueness claims and the count of the distribution's route changes
        assertEquals(5, items);
        dynamoRequests.reset();

        handler.priming().beforeCheckpoint(null);

        // refused by the verifier; an empty list; no such distribution
        assertEquals(List.of(401, 200, 404), handler.priming().statuses());
        // the list's and the distribution's reads, and nothing else
        assertEquals(List.of("Query", "Query"), dynamoRequests.operations());
        assertEquals(items, items());
    }

    private static APIGatewayProxyResponseEvent post(String path, String token, String body) {
        return handler.handleRequest(LambdaEvents.request("POST", path, Map.of("Authorization", "Bearer " + token), body),
                LambdaEvents.context());
    }


    /** Every item of the test's table, counted by a paginated Scan. */
    private static long items() {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        String table = context.getBean(DistributionsTable.class).name();
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).select(Select.COUNT).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }
}
