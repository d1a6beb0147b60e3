package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-key limit is shared by every Lambda instance: two handlers (the test's context and a
 * second one on the same stores: two "instances") together get exactly the limit, then 429 with
 * Retry-After in the Apex shape; another key is unaffected.
 */
class IntegrationRateLimitTest extends IntegrationTestSupport {

    @Override
    int rateLimitPerMinute() {
        return 4;
    }

    @Test
    void limitIsPerKeyAcrossInstances() throws Exception {
        try (ApplicationContext second = ApplicationContext.run(new HashMap<>(getProperties()), "test")) {
            IntegrationFunction b = new IntegrationFunction(second);
            String limited = token();
            String free = (String) login(OTHER_KEY, OTHER_SECRET).get("access_token");
            String path = "/api/v1/integration/nodes/" + UUID.randomUUID();
            // a minute boundary between calls would reset the window and void the test: start early in one
            long second0 = (System.currentTimeMillis() / 1000) % 60;
            if (second0 > 50) {
                Thread.sleep((61 - second0) * 1000);
            }
            for (int i = 0; i < 4; i++) {
                IntegrationFunction instance = i % 2 == 0 ? handler : b;
                error(call(instance, "GET", path, api(limited), null), 404, "NODE_NOT_FOUND");
            }
            APIGatewayProxyResponseEvent limitedResponse = call(b, "GET", path, api(limited), null);
            error(limitedResponse, 429, "RATE_LIMITED");
            String retryAfter = limitedResponse.getMultiValueHeaders().get("Retry-After").get(0);
            assertTrue(Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 60, retryAfter);
            error(call("GET", path, api(free), null), 404, "NODE_NOT_FOUND");
            // the limit comes after the target server and the token: those refusals are not counted
            error(call(b, "GET", path, Map.of("Authorization", "Bearer " + limited), null), 400, "MISSING_TARGET_SERVER");
            error(call(b, "GET", path, api("not-a-token"), null), 401, "UNAUTHORIZED");
        }
    }
}
