package io.contentplane.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integration function's SnapStart priming: requests through the handler that change nothing. */
class IntegrationPrimingTest extends IntegrationTestSupport {

    @Test
    void primingRunsRequestsThroughTheHandlerAndWritesNothing() throws Exception {
        String token = token();
        String node = (String) createNode(token, "primed", 1, null).get("id");
        assertEquals(201, call("POST", "/api/v1/integration/distributors/nodes/" + node, api(token), SEED_CREATE).getStatusCode());
        long items = items();
        assertTrue(items > 0);
        Map<String, Long> rows = TestDatabases.relationalRows(context);
        dynamoRequests.reset();
        jdbcStatements.reset();

        handler.priming().beforeCheckpoint(null);

        // refused by the token verifier, then by the API-key check
        assertEquals(List.of(401, 401), handler.priming().statuses());
        // the unknown API key's lookup is the one request: a read (no rate-limit update, no refresh token)
        assertEquals(List.of("GetItem"), dynamoRequests.operations());
        assertEquals(List.of(), jdbcStatements.statements());
        assertEquals(items, items());
        assertEquals(rows, TestDatabases.relationalRows(context));
    }

    /** Every item of the test's table (the outbox included), counted by a paginated Scan. */
    long items() {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        String table = context.getBean(IntegrationTable.class).name();
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).select(Select.COUNT).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }
}
