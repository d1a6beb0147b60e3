package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replays every file of events/ through the handler, in an order that makes each succeed. Stored
 * tokens have expired, so each file gets a fresh access token (and refresh token) before replay;
 * the distributor file's id is replaced by the id the create event returned.
 */
class IntegrationEventsTest extends IntegrationTestSupport {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static final String SEED_DISTRIBUTOR = "39e8003c-6342-4fd3-97a1-3f2a7b437d0a";
    static final String SEED_EVENT = "evt_5b1f0c9e2d3a4f6b8c7d9e0a1b2c3d4e";

    @Test
    void everyEventFileIsAnsweredAsDocumented() throws IOException {
        context.getBean(io.contentplane.domain.integration.ApiKeyStore.class).put("dev-api-key", "dev-api-secret-change-me", "tenant-a");
        context.getBean(NodeRegistry.class).ensureApex("tenant-a", DEFAULT_NODE, "Default node");
        List<String> order = List.of("auth-authenticate", "auth-refresh", "nodes-create", "nodes-get", "nodes-update",
                "nodes-children", "distributors-create", "distributors-update", "distributors-get", "distributors-list",
                "distributors-signing-secret", "distributors-signing-secret-rotate", "distributors-deliveries",
                "distributors-redeliver", "distributors-delete", "nodes-delete");
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            assertEquals(order.stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList());
        }
        Map<String, Integer> expected = Map.ofEntries(Map.entry("auth-authenticate", 200), Map.entry("auth-refresh", 200),
                Map.entry("nodes-create", 201), Map.entry("nodes-get", 200), Map.entry("nodes-update", 200),
                Map.entry("nodes-children", 200), Map.entry("distributors-create", 201), Map.entry("distributors-update", 200),
                Map.entry("distributors-get", 200), Map.entry("distributors-list", 200), Map.entry("distributors-delete", 204),
                Map.entry("distributors-signing-secret", 200), Map.entry("distributors-signing-secret-rotate", 200),
                Map.entry("distributors-deliveries", 200), Map.entry("distributors-redeliver", 202),
                Map.entry("nodes-delete", 204));
        String distributorId = null;
        for (String name : order) {
            ObjectNode tree = LambdaEvents.tree(Path.of("events", name + ".json"));
            Map<String, Object> login = login("dev-api-key", "dev-api-secret-change-me");
            if (tree.with("headers").has("Authorization")) {
                LambdaEvents.setHeader(tree, "Authorization", "Bearer " + login.get("access_token"));
            }
            if (name.equals("auth-refresh")) {
                tree.put("body", "{\"refresh_token\":\"" + login.get("refresh_token") + "\"}");
            }
            if (distributorId != null) {
                tree.put("path", tree.get("path").asText().replace(SEED_DISTRIBUTOR, distributorId));
            }
            if (name.equals("distributors-redeliver")) {
                // a delivery that ended (here: refused for good), so that it can be sent again
                // queued as the dispatcher's fan-out does (the dispatcher module tests that part)
                context.getBean(DeliveryStore.class).enqueue(distributorId, "evt_" + java.util.UUID.randomUUID().toString()
                        .replace("-", ""), "distributor.created", DEFAULT_NODE, "{}", Instant.now(), Instant.now());
                Delivery delivery = context.getBean(DeliveryStore.class).list(distributorId, 1, 1).deliveries().get(0);
                context.getBean(DeliveryStore.class).recordAttempt(delivery, Delivery.State.FAILED, 410, "HTTP 410", null, Instant.now());
                tree.put("path", tree.get("path").asText().replace(SEED_EVENT, delivery.eventId()));
            }
            APIGatewayProxyResponseEvent response = handler.handleRequest(LambdaEvents.fromTree(tree), LambdaEvents.context());
            assertEquals(expected.get(name), response.getStatusCode(), name + ": " + response.getBody());
            if (name.equals("distributors-create")) {
                distributorId = (String) body(response).get("id");
            }
        }
    }
}
