package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A login (a refresh token family) ends for good after integration.refresh-family-lifetime, however
 * often it is refreshed (30 days by default; 3 seconds here).
 */
class IntegrationRefreshLifetimeTest extends IntegrationTestSupport {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("integration.refresh-family-lifetime", "3s");
        return p;
    }

    private APIGatewayProxyResponseEvent refresh(String refreshToken) {
        return call("POST", "/api/v1/integration/auth/refresh", Map.of("X-Target-Server", "authentication"),
                "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    @Test
    void aFamilyEndsAtItsAbsoluteLifetimeHoweverOftenItIsRefreshed() throws Exception {
        long loggedIn = System.currentTimeMillis();
        String refreshToken = (String) login(KEY, SECRET).get("refresh_token");
        int rotations = 0;
        while (System.currentTimeMillis() - loggedIn < 1500) {
            APIGatewayProxyResponseEvent r = refresh(refreshToken);
            assertEquals(200, r.getStatusCode(), r.getBody());
            refreshToken = (String) body(r).get("refresh_token");
            rotations++;
            Thread.sleep(200);
        }
        Thread.sleep(Math.max(0, loggedIn + 4200 - System.currentTimeMillis()));
        error(refresh(refreshToken), 401, "INVALID_REFRESH_TOKEN");
        // a new login starts a new family
        assertEquals(200, refresh((String) login(KEY, SECRET).get("refresh_token")).getStatusCode());
        assertEquals(true, rotations > 2, "rotations " + rotations);
    }
}
