package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DynamoDB (and database) round trips per integration operation, one per HTTP request the client
 * sends. Every authenticated request starts with the key check's one consistent GetItem (is the
 * token's key still active at its version: revocation at once) and the rate limit's one UpdateItem.
 */
class IntegrationRoundTripsTest extends IntegrationTestSupport {

    @Test
    void authenticateIsOneKeyReadAndOneTransaction() {
        dynamoRequests.reset();
        login(KEY, SECRET);
        // the API key, then the refresh-token family and its first token together; no rate limit
        assertEquals(List.of("GetItem", "TransactWriteItems"), dynamoRequests.operations());
    }

    @Test
    void refreshIsOneTokenReadAndOneTransaction() {
        String refresh = (String) login(KEY, SECRET).get("refresh_token");
        APIGatewayProxyResponseEvent rotated = counted("POST", "/api/v1/integration/auth/refresh",
                Map.of("X-Target-Server", "authentication"), "{\"refresh_token\":\"" + refresh + "\"}");
        assertEquals(200, rotated.getStatusCode(), rotated.getBody());
        assertEquals(List.of("GetItem", "TransactWriteItems"), dynamoRequests.operations());
    }

    @Test
    void getNodeIsTheRateLimitAndOneRead() {
        String token = token();
        String node = (String) createNode(token, "read", 1, null).get("id");
        assertEquals(200, counted("GET", "/api/v1/integration/nodes/" + node, api(token), null).getStatusCode());
        assertEquals(List.of("GetItem", "UpdateItem", "GetItem"), dynamoRequests.operations());
        assertEquals(List.of(), jdbcStatements.statements());
    }

    /**
     * The node item and its int_id counter are two writes (the counter's value goes into the item),
     * and its control state is registered in the parameter table: one INSERT per parameter, one commit.
     */
    @Test
    void createNodeIsTheRateLimitTheCounterTheItemAndItsControlState() {
        String token = token();
        APIGatewayProxyResponseEvent created = counted("POST", "/api/v1/integration/nodes", api(token),
                "{\"name\":\"counted\",\"type\":1}");
        assertEquals(201, created.getStatusCode(), created.getBody());
        assertEquals(List.of("GetItem", "UpdateItem", "UpdateItem", "PutItem"), dynamoRequests.operations());
        assertEquals(List.of("INSERT", "INSERT", "INSERT", "INSERT", "INSERT", "INSERT"), jdbcStatements.verbs(),
                jdbcStatements.statements().toString());
        assertEquals(1, jdbcStatements.commits());
    }

    @Test
    void createDistributorIsTheRateLimitAndOneTransaction() {
        String token = token();
        String node = (String) createNode(token, "with distributor", 1, null).get("id");
        APIGatewayProxyResponseEvent created = counted("POST", "/api/v1/integration/distributors/nodes/" + node, api(token),
                SEED_CREATE);
        assertEquals(201, created.getStatusCode(), created.getBody());
        // the node check, the distributor and its event in one transaction
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems"), dynamoRequests.operations());
        assertEquals(List.of(), jdbcStatements.statements());
    }

    @Test
    void updateDistributorIsTheRateLimitOneReadAndOneTransaction() {
        String token = token();
        String node = (String) createNode(token, "updated distributor", 1, null).get("id");
        String id = (String) body(call("POST", "/api/v1/integration/distributors/nodes/" + node, api(token), SEED_CREATE)).get("id");
        APIGatewayProxyResponseEvent updated = counted("PUT", "/api/v1/integration/distributors/" + id, api(token),
                "{\"meta\":{\"path\":\"/other\"}}");
        assertEquals(200, updated.getStatusCode(), updated.getBody());
        // read-modify-write: the current distributor, then it and its event conditional on its version
        assertEquals(List.of("GetItem", "UpdateItem", "GetItem", "TransactWriteItems"), dynamoRequests.operations());
    }

    @Test
    void anUnauthenticatedRequestTouchesNoStore() {
        assertEquals(401, counted("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(), api("not-a-token"), null)
                .getStatusCode());
        assertEquals(List.of(), dynamoRequests.operations());
    }

    /** Sends a request, counting only its round trips. */
    APIGatewayProxyResponseEvent counted(String method, String path, Map<String, String> headers, String body) {
        dynamoRequests.reset();
        jdbcStatements.reset();
        return call(method, path, headers, body);
    }
}
