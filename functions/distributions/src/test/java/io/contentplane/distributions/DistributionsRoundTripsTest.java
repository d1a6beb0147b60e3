package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The DynamoDB round trips of {@code GET /workspaces/{workspace}/distributions/{id}} (README, "Store
 * round trips"; the cold-start benchmark's distributions baseline makes the same): one consistent
 * Query of the distribution's partition, routes included. Its own test context, because the
 * request counter must be in place before the client is built.
 */
class DistributionsRoundTripsTest extends DistributionsTestSupport {
    @Inject
    DynamoDbRequestCounter dynamoRequests;

    @Test
    void aDistributionWithItsRoutesIsOneQuery() throws IOException {
        String token = context.getBean(DistributionTokens.class).issue("user-1", DistributionsTestSupport.ALL_SCOPES,
                List.of("ws-trips"), Duration.ofMinutes(10));
        String distribution = "/workspaces/ws-trips/distributions/"
                + body(call("POST", "/workspaces/ws-trips/distributions", token, DistributionsTestSupport.SEED_WORKSPACE), 201).get("id");
        for (String route : List.of(DistributionsTestSupport.SEED_ROUTE_EXTERNAL, DistributionsTestSupport.SEED_ROUTE_TUNNEL,
                DistributionsTestSupport.SEED_ROUTE_GEO)) {
            body(call("POST", distribution + "/routes", token, route), 201);
        }
        dynamoRequests.reset();

        Map<String, Object> read = body(call("GET", distribution, token, null), 200);

        assertEquals(3, ((List<?>) read.get("routes")).size());
        assertEquals(List.of("Query"), dynamoRequests.operations());
    }

    @Test
    void refusedTokensAndMalformedIdsReachNoStore() {
        String token = context.getBean(DistributionTokens.class).issue("user-1", List.of(DistributionTokens.MANAGE),
                List.of("ws-trips"), Duration.ofMinutes(10));
        dynamoRequests.reset();

        assertEquals(401, call("GET", "/workspaces/ws-trips/distributions/rm1P93jG", null, null).getStatusCode());
        assertEquals(403, call("GET", "/workspaces/ws-trips/distributions/rm1P93jG", token, null).getStatusCode());
        assertEquals(404, call("GET", "/workspaces/ws-other/distributions/rm1P93jG", token, null).getStatusCode());

        assertEquals(List.of(), dynamoRequests.operations());
    }


    private static Map<String, Object> body(APIGatewayProxyResponseEvent response, int status) throws IOException {
        assertEquals(status, response.getStatusCode(), response.getBody());
        return context.getBean(JsonMapper.class).readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
    }
}
