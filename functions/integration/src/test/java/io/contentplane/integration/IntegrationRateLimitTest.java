package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-key limit is shared by every Lambda instance: two handlers (two "instances", one store)
 * together get exactly the limit, then 429 with Retry-After; another key is unaffected.
 */
class IntegrationRateLimitTest {

    @Test
    void limitIsPerKeyAcrossInstances() throws Exception {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.put("auth.jwt-secret", "test-platform-key-0123456789abcdef0123456789");
        props.put("integration.rate-limit-per-minute", 4);
        try (ApplicationContext first = ApplicationContext.run(props);
             ApplicationContext second = ApplicationContext.run(props)) {
            first.getBean(IntegrationTable.class).create(first.getBean(DynamoDbClient.class));
            first.getBean(ApiKeyStore.class).put("limited", "limited-secret", "t");
            first.getBean(ApiKeyStore.class).put("free", "free-secret", "t");
            IntegrationFunction a = new IntegrationFunction(first);
            IntegrationFunction b = new IntegrationFunction(second);
            JsonMapper json = first.getBean(JsonMapper.class);
            String limited = token(a, json, "limited", "limited-secret");
            String free = token(a, json, "free", "free-secret");
            String path = "/api/v1/integration/nodes/" + UUID.randomUUID();
            // a minute boundary between calls would reset the window and void the test: start early in one
            long second0 = (System.currentTimeMillis() / 1000) % 60;
            if (second0 > 50) {
                Thread.sleep((61 - second0) * 1000);
            }
            for (int i = 0; i < 4; i++) {
                IntegrationFunction handler = i % 2 == 0 ? a : b;
                assertEquals(404, get(handler, path, limited).getStatusCode(), "request " + i);
            }
            APIGatewayProxyResponseEvent limitedResponse = get(b, path, limited);
            assertEquals(429, limitedResponse.getStatusCode(), limitedResponse.getBody());
            String retryAfter = limitedResponse.getMultiValueHeaders().get("Retry-After").get(0);
            assertTrue(Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 60, retryAfter);
            assertTrue(limitedResponse.getBody().contains("\"code\":\"RATE_LIMITED\""), limitedResponse.getBody());
            assertEquals(404, get(a, path, free).getStatusCode());
        }
    }

    private static APIGatewayProxyResponseEvent get(IntegrationFunction handler, String path, String token) {
        return handler.handleRequest(LambdaEvents.request("GET", path,
                Map.of("X-Target-Server", "integration", "Authorization", "Bearer " + token), null), LambdaEvents.context());
    }

    private static String token(IntegrationFunction handler, JsonMapper json, String key, String secret) throws Exception {
        APIGatewayProxyResponseEvent r = handler.handleRequest(LambdaEvents.request("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication", "Api-Key", key, "Api-Secret", secret), null), LambdaEvents.context());
        assertEquals(200, r.getStatusCode(), r.getBody());
        return (String) json.readValue(r.getBody(), Argument.mapOf(String.class, Object.class)).get("access_token");
    }
}
