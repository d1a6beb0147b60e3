package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.NodeControlService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integration API through the Lambda handler: every endpoint, its errors, tenancy and races. */
class IntegrationApiTest extends IntegrationTestSupport {

    // ---- authentication ----

    @Test
    void authenticateWithBodyOrHeadersAndRefreshRotates() {
        Map<String, Object> tokens = login(KEY, SECRET);
        assertEquals("Bearer", tokens.get("token_type"));
        assertEquals(3600, ((Number) tokens.get("expires_in")).intValue());
        assertTrue(((String) tokens.get("expires_at")).endsWith("Z"));
        APIGatewayProxyResponseEvent byHeaders = call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication", "Api-Key", KEY, "Api-Secret", SECRET), null);
        assertEquals(200, byHeaders.getStatusCode(), byHeaders.getBody());
        String refresh = (String) tokens.get("refresh_token");
        APIGatewayProxyResponseEvent rotated = call("POST", "/api/v1/integration/auth/refresh",
                Map.of("X-Target-Server", "authentication"), "{\"refresh_token\":\"" + refresh + "\"}");
        assertEquals(200, rotated.getStatusCode(), rotated.getBody());
        String next = (String) body(rotated).get("refresh_token");
        assertNotEquals(refresh, next);
        // the new access token works
        assertEquals(201, call("POST", "/api/v1/integration/nodes", api((String) body(rotated).get("access_token")),
                "{\"name\":\"n\",\"type\":1}").getStatusCode());
        // reuse of the old one: rejected, and the whole family is revoked
        error(call("POST", "/api/v1/integration/auth/refresh", Map.of("X-Target-Server", "authentication"),
                "{\"refresh_token\":\"" + refresh + "\"}"), 401, "REFRESH_TOKEN_REUSED");
        error(call("POST", "/api/v1/integration/auth/refresh", Map.of("X-Target-Server", "authentication"),
                "{\"refresh_token\":\"" + next + "\"}"), 401, "INVALID_REFRESH_TOKEN");
    }

    @Test
    void wrongCredentialsGiveNoHintWhichHalf() {
        Map<String, Object> wrongSecret = error(call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication"), "{\"api_key\":\"" + KEY + "\",\"secret_key\":\"nope\"}"),
                401, "INVALID_CREDENTIALS");
        Map<String, Object> wrongKey = error(call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication"), "{\"api_key\":\"nope\",\"secret_key\":\"" + SECRET + "\"}"),
                401, "INVALID_CREDENTIALS");
        assertEquals(wrongSecret, wrongKey);
        error(call("POST", "/api/v1/integration/auth/authenticate", Map.of("X-Target-Server", "authentication"), "{}"),
                400, "VALIDATION_ERROR");
        error(call("POST", "/api/v1/integration/auth/authenticate", Map.of("X-Target-Server", "authentication"),
                "{\"api_key\": 5, \"secret_key\": \"x\"}"), 400, "VALIDATION_ERROR");
        error(call("POST", "/api/v1/integration/auth/authenticate", Map.of("X-Target-Server", "authentication"),
                "{\"api_key\":"), 400, "INVALID_JSON");
        error(call("POST", "/api/v1/integration/auth/refresh", Map.of("X-Target-Server", "authentication"),
                "{\"refresh_token\":\"made-up\"}"), 401, "INVALID_REFRESH_TOKEN");
    }

    @Test
    void targetServerMustMatch() {
        error(call("POST", "/api/v1/integration/auth/authenticate", Map.of(), "{}"), 400, "MISSING_TARGET_SERVER");
        error(call("POST", "/api/v1/integration/auth/authenticate", Map.of("X-Target-Server", "integration"), "{}"),
                400, "INVALID_TARGET_SERVER");
        String token = token();
        error(call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(), Map.of("Authorization", "Bearer " + token), null),
                400, "MISSING_TARGET_SERVER");
        error(call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(),
                Map.of("Authorization", "Bearer " + token, "X-Target-Server", "authentication"), null), 400, "INVALID_TARGET_SERVER");
    }

    // ---- nodes ----

    @Test
    void nodeHierarchyLifecycle() {
        String token = token();
        Map<String, Object> apex = createNode(token, "Apex", 1, null);
        assertNull(apex.get("parent_id"));
        assertTrue(apex.containsKey("parent_id"));
        assertEquals(String.valueOf(apex.get("int_id")), apex.get("path"));
        assertTrue(((String) apex.get("operator_secret")).length() >= 40);
        Map<String, Object> account = createNode(token, "Account", 2, (String) apex.get("id"));
        Map<String, Object> sub = createNode(token, "Sub", 3, (String) account.get("id"));
        assertEquals(apex.get("int_id") + "." + account.get("int_id") + "." + sub.get("int_id"), sub.get("path"));
        // the node is the same node the public API addresses
        assertTrue(context.getBean(NodeControlService.class).find((String) sub.get("id")).isPresent());
        // get never reveals the operator secret
        APIGatewayProxyResponseEvent got = call("GET", "/api/v1/integration/nodes/" + sub.get("id"), api(token), null);
        assertEquals(200, got.getStatusCode());
        assertFalse(body(got).containsKey("operator_secret"));
        // rename; type and parent cannot change
        APIGatewayProxyResponseEvent renamed = call("PUT", "/api/v1/integration/nodes/" + sub.get("id"), api(token), "{\"name\":\"Renamed\"}");
        assertEquals("Renamed", body(renamed).get("name"));
        error(call("PUT", "/api/v1/integration/nodes/" + sub.get("id"), api(token), "{\"type\":1}"), 400, "VALIDATION_ERROR");
        // children, paginated
        createNode(token, "Account 2", 2, (String) apex.get("id"));
        APIGatewayProxyResponseEvent children = call("GET", "/api/v1/integration/nodes/" + apex.get("id") + "/children?page=1&per_page=1", api(token), null);
        Map<String, Object> page = body(children);
        assertEquals(2, ((Number) page.get("total")).intValue());
        assertEquals(1, ((List<?>) page.get("nodes")).size());
        assertEquals(1, ((Number) page.get("per_page")).intValue());
        error(call("GET", "/api/v1/integration/nodes/" + apex.get("id") + "/children?per_page=1000", api(token), null), 400, "VALIDATION_ERROR");
        error(call("GET", "/api/v1/integration/nodes/" + apex.get("id") + "/children?page=x", api(token), null), 400, "VALIDATION_ERROR");
        // a page starting more than 1000 items in is refused, not read (README: Lists)
        Map<String, Object> tooDeep = error(call("GET", "/api/v1/integration/nodes/" + apex.get("id") + "/children?page=12&per_page=100",
                api(token), null), 400, "VALIDATION_ERROR");
        assertEquals(Map.of("page", "page must be at most 11 with per_page 100 (a page may start at most 1000 items into a list)"),
                tooDeep.get("details"));
        assertEquals(List.of(), body(call("GET", "/api/v1/integration/nodes/" + apex.get("id") + "/children?page=11&per_page=100",
                api(token), null)).get("nodes"));
        // soft delete: 404 afterwards, children intact
        assertEquals(204, call("DELETE", "/api/v1/integration/nodes/" + account.get("id"), api(token), null).getStatusCode());
        error(call("GET", "/api/v1/integration/nodes/" + account.get("id"), api(token), null), 404, "NODE_NOT_FOUND");
        error(call("DELETE", "/api/v1/integration/nodes/" + account.get("id"), api(token), null), 404, "NODE_NOT_FOUND");
        assertEquals(200, call("GET", "/api/v1/integration/nodes/" + sub.get("id"), api(token), null).getStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\":\"x\"}", "{\"name\":\"x\",\"type\":4}", "{\"name\":\"\",\"type\":1}",
            "{\"name\":5,\"type\":1}", "{\"name\":\"x\",\"type\":\"1\"}", "{\"name\":\"x\",\"type\":1,\"extra\":1}",
            "{\"name\":\"x\",\"type\":2}", "{\"name\":\"x\",\"type\":1,\"parent_id\":\"00000000-0000-4000-8000-000000000000\"}",
            "{\"name\":\"x\",\"type\":2,\"parent_id\":\"not-a-uuid\"}", "[]"})
    void invalidNodeBodies(String body) {
        APIGatewayProxyResponseEvent r = call("POST", "/api/v1/integration/nodes", api(token()), body);
        assertEquals(400, r.getStatusCode(), body + " -> " + r.getBody());
    }

    @Test
    void anotherTenantsNodesAndDistributorsAre404() {
        String mine = token();
        String theirs = (String) login(OTHER_KEY, OTHER_SECRET).get("access_token");
        Map<String, Object> apex = createNode(mine, "Mine", 1, null);
        String id = (String) apex.get("id");
        error(call("GET", "/api/v1/integration/nodes/" + id, api(theirs), null), 404, "NODE_NOT_FOUND");
        error(call("PUT", "/api/v1/integration/nodes/" + id, api(theirs), "{\"name\":\"x\"}"), 404, "NODE_NOT_FOUND");
        error(call("DELETE", "/api/v1/integration/nodes/" + id, api(theirs), null), 404, "NODE_NOT_FOUND");
        error(call("GET", "/api/v1/integration/nodes/" + id + "/children", api(theirs), null), 404, "NODE_NOT_FOUND");
        error(call("POST", "/api/v1/integration/distributors/nodes/" + id, api(theirs), SEED_CREATE), 404, "NODE_NOT_FOUND");
        error(call("GET", "/api/v1/integration/distributors/nodes/" + id, api(theirs), null), 404, "NODE_NOT_FOUND");
        Map<String, Object> d = body(call("POST", "/api/v1/integration/distributors/nodes/" + id, api(mine), SEED_CREATE));
        String did = (String) d.get("id");
        error(call("GET", "/api/v1/integration/distributors/" + did, api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("PUT", "/api/v1/integration/distributors/" + did, api(theirs), "{\"meta\":null}"), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("DELETE", "/api/v1/integration/distributors/" + did, api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
        assertEquals(200, call("GET", "/api/v1/integration/distributors/" + did, api(mine), null).getStatusCode());
    }

    // ---- distributors ----

    @Test
    @SuppressWarnings("unchecked")
    void seedCreateAndUpdateAnswerAsDocumented() {
        String token = token();
        String nodeId = (String) createNode(token, "Apex", 1, null).get("id");
        APIGatewayProxyResponseEvent created = call("POST", "/api/v1/integration/distributors/nodes/" + nodeId, api(token), SEED_CREATE);
        assertEquals(201, created.getStatusCode(), created.getBody());
        Map<String, Object> d = body(created);
        assertEquals(nodeId, d.get("node_id"));
        assertEquals(Map.of("host", "https://example.com", "path", "/webhook", "method", "GET",
                "authentication", Map.of("type", 1, "username", "user", "password", "pass")), d.get("meta"));
        assertTrue(((String) d.get("created_at")).endsWith("Z"));
        String id = (String) d.get("id");
        // seed 001: host example.com222 (not resolvable here, and a valid host name)
        APIGatewayProxyResponseEvent updated = call("PUT", "/api/v1/integration/distributors/" + id, api(token), """
                {"meta": {"host": "https://example.com222", "path": "/webhook", "method": 1,
                  "authentication": {"type": 1, "username": "user", "password": "pass"}}}""");
        assertEquals(200, updated.getStatusCode(), updated.getBody());
        assertEquals("https://example.com222", ((Map<String, Object>) body(updated).get("meta")).get("host"));
        // fields left out stay
        Map<String, Object> partial = body(call("PUT", "/api/v1/integration/distributors/" + id, api(token), "{\"meta\":{\"path\":\"/other\"}}"));
        Map<String, Object> meta = (Map<String, Object>) partial.get("meta");
        assertEquals("/other", meta.get("path"));
        assertEquals("https://example.com222", meta.get("host"));
        assertEquals("GET", meta.get("method"));
        assertEquals(body(call("PUT", "/api/v1/integration/distributors/" + id, api(token), "{}")).get("meta"), meta);
        // token authentication
        Map<String, Object> tokenAuth = (Map<String, Object>) body(call("PUT", "/api/v1/integration/distributors/" + id, api(token),
                "{\"meta\":{\"method\":2,\"authentication\":{\"type\":2,\"token\":\"abc\"}}}")).get("meta");
        assertEquals(Map.of("type", 2, "token", "abc"), tokenAuth.get("authentication"));
        assertEquals("POST", tokenAuth.get("method"));
        // meta null removes the webhook
        APIGatewayProxyResponseEvent removed = call("PUT", "/api/v1/integration/distributors/" + id, api(token), "{\"meta\":null}");
        assertTrue(removed.getBody().contains("\"meta\":null"), removed.getBody());
        // list, get, delete
        call("POST", "/api/v1/integration/distributors/nodes/" + nodeId, api(token), "{}");
        Map<String, Object> list = body(call("GET", "/api/v1/integration/distributors/nodes/" + nodeId + "?per_page=1", api(token), null));
        assertEquals(2, ((Number) list.get("total")).intValue());
        assertEquals(1, ((List<?>) list.get("distributors")).size());
        assertEquals(204, call("DELETE", "/api/v1/integration/distributors/" + id, api(token), null).getStatusCode());
        error(call("GET", "/api/v1/integration/distributors/" + id, api(token), null), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("PUT", "/api/v1/integration/distributors/" + UUID.randomUUID(), api(token), "{}"), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("POST", "/api/v1/integration/distributors/nodes/" + UUID.randomUUID(), api(token), "{}"), 404, "NODE_NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"meta\":{\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://example.com\"}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"w\"}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"method\":9}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"method\":\"GET\"}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"authentication\":{\"type\":1,\"username\":\"u\"}}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"authentication\":{\"type\":2}}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"authentication\":{\"type\":3,\"token\":\"t\"}}}",
            "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"extra\":1}}",
            "{\"meta\":\"https://example.com\"}",
            "{\"other\":1}",
            "{\"meta\":{\"host\":\"http://example.com\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://127.0.0.1\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://10.1.2.3\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://192.168.0.10\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://169.254.169.254\",\"path\":\"/latest/meta-data\"}}",
            "{\"meta\":{\"host\":\"https://[::1]\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://localhost\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://internal.example\",\"path\":\"/w\"}}",
            "{\"meta\":{\"host\":\"https://exa mple.com\",\"path\":\"/w\"}}"})
    void invalidDistributorBodiesAre400(String body) {
        String token = token();
        String nodeId = (String) createNode(token, "Apex", 1, null).get("id");
        Map<String, Object> err = error(call("POST", "/api/v1/integration/distributors/nodes/" + nodeId, api(token), body),
                400, "VALIDATION_ERROR");
        assertFalse(((Map<?, ?>) err.get("details")).isEmpty(), body);
    }

    @Test
    @SuppressWarnings("unchecked")
    void signingSecretDeliveriesAndRedelivery() {
        String token = token();
        String theirs = (String) login(OTHER_KEY, OTHER_SECRET).get("access_token");
        String nodeId = (String) createNode(token, "Apex", 1, null).get("id");
        String id = (String) body(call("POST", "/api/v1/integration/distributors/nodes/" + nodeId, api(token), SEED_CREATE)).get("id");
        String base = "/api/v1/integration/distributors/" + id;
        String secret = (String) body(call("GET", base + "/signing-secret", api(token), null)).get("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        APIGatewayProxyResponseEvent rotated = call("POST", base + "/signing-secret/rotate", api(token), null);
        assertEquals(200, rotated.getStatusCode(), rotated.getBody());
        String next = (String) body(rotated).get("secret");
        assertNotEquals(secret, next);
        assertEquals(next, body(call("GET", base + "/signing-secret", api(token), null)).get("secret"));
        // the secret appears in no other answer
        assertFalse(call("GET", base, api(token), null).getBody().contains(next));
        // deliveries: the creation event's, as the dispatcher's fan-out queues it (the dispatcher module tests that part)
        java.time.Instant now = java.time.Instant.now();
        context.getBean(io.contentplane.domain.delivery.DeliveryStore.class).enqueue(id, "evt_" + java.util.UUID.randomUUID()
                .toString().replace("-", ""), "distributor.created", nodeId, "{}", now, now);
        Map<String, Object> list = body(call("GET", base + "/deliveries?per_page=10", api(token), null));
        List<Map<String, Object>> items = (List<Map<String, Object>>) list.get("deliveries");
        assertEquals(1, items.size());
        assertEquals("distributor.created", items.get(0).get("event_type"));
        assertEquals("PENDING", items.get(0).get("state"));
        assertEquals(0, ((Number) items.get(0).get("attempts")).intValue());
        String deliveryId = (String) items.get(0).get("id");
        error(call("POST", base + "/deliveries/" + deliveryId + "/redeliver", api(token), null), 409, "DELIVERY_PENDING");
        error(call("POST", base + "/deliveries/evt_unknown/redeliver", api(token), null), 404, "DELIVERY_NOT_FOUND");
        error(call("GET", base + "/deliveries?page=0", api(token), null), 400, "VALIDATION_ERROR");
        // another tenant sees none of it
        error(call("GET", base + "/signing-secret", api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("POST", base + "/signing-secret/rotate", api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("GET", base + "/deliveries", api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
        error(call("POST", base + "/deliveries/" + deliveryId + "/redeliver", api(theirs), null), 404, "DISTRIBUTOR_NOT_FOUND");
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentUpdatesOfOneDistributorLoseNoField() throws Exception {
        String token = token();
        String nodeId = (String) createNode(token, "Apex", 1, null).get("id");
        String id = (String) body(call("POST", "/api/v1/integration/distributors/nodes/" + nodeId, api(token), SEED_CREATE)).get("id");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
        futures.add(pool.submit(() -> {
            go.await();
            return call("PUT", "/api/v1/integration/distributors/" + id, api(token), "{\"meta\":{\"path\":\"/changed\"}}");
        }));
        futures.add(pool.submit(() -> {
            go.await();
            return call("PUT", "/api/v1/integration/distributors/" + id, api(token), "{\"meta\":{\"method\":4}}");
        }));
        go.countDown();
        for (Future<APIGatewayProxyResponseEvent> f : futures) {
            assertEquals(200, f.get().getStatusCode());
        }
        pool.shutdown();
        Map<String, Object> meta = (Map<String, Object>) body(call("GET", "/api/v1/integration/distributors/" + id, api(token), null)).get("meta");
        assertEquals("/changed", meta.get("path"));
        assertEquals("PATCH", meta.get("method"));
    }

    @Test
    void oversizedAndMalformedBodies() {
        String token = token();
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"" + "x".repeat(70_000) + "\",\"type\":1}"),
                413, "PAYLOAD_TOO_LARGE");
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":"), 400, "INVALID_JSON");
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"" + "x".repeat(300) + "\",\"type\":1}"),
                400, "VALIDATION_ERROR");
    }
}
