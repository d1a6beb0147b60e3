package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentplane.domain.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Replays every file of events/ through the handler, in an order that makes each succeed. Stored
 * tokens have expired, so each file gets a fresh token for its workspace; the seed ids in paths
 * are replaced by the ids the create events returned. The workspace is made fresh too, so the
 * run does not depend on what other tests left in the table.
 */
class DistributionsEventsTest extends DistributionsTestSupport {
    static final String SEED_WORKSPACE_NAME = "my-workspace";
    static final String SEED_DISTRIBUTION = "rm1P93jG";
    static final String SEED_ROUTE = "JqbOmp06";

    @Test
    void everyEventFileIsAnsweredAsDocumented() throws IOException {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("distributions-create", 201);
        expected.put("distributions-list", 200);
        expected.put("distributions-get", 200);
        expected.put("distributions-update", 200);
        expected.put("routes-create", 201);
        expected.put("routes-list", 200);
        expected.put("routes-get", 200);
        expected.put("routes-update", 200);
        expected.put("distributions-resolve", 200);
        expected.put("routes-delete", 204);
        expected.put("distributions-delete", 204);
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            assertEquals(expected.keySet().stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList());
        }
        String ws = workspace();
        String distributionId = null;
        String routeId = null;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            ObjectNode tree = LambdaEvents.tree(Path.of("events", e.getKey() + ".json"));
            LambdaEvents.setHeader(tree, "Authorization", "Bearer " + token(ws));
            String path = tree.get("path").asText().replace("/workspaces/" + SEED_WORKSPACE_NAME + "/", "/workspaces/" + ws + "/");
            if (distributionId != null) {
                path = path.replace(SEED_DISTRIBUTION, distributionId);
            }
            if (routeId != null) {
                path = path.replace(SEED_ROUTE, routeId);
            }
            tree.put("path", path);
            APIGatewayProxyResponseEvent response = handler.handleRequest(LambdaEvents.fromTree(tree), LambdaEvents.context());
            assertEquals(e.getValue(), response.getStatusCode(), e.getKey() + ": " + response.getBody());
            switch (e.getKey()) {
                case "distributions-create" -> distributionId = (String) body(response).get("id");
                case "routes-create" -> routeId = (String) body(response).get("id");
                case "distributions-resolve" -> assertEquals("COUNTRY-PL", body(response).get("region"));
                case "distributions-list" -> assertEquals(List.of(distributionId),
                        ((List<?>) body(response).get("distributions")).stream().map(d -> ((Map<?, ?>) d).get("id")).toList());
                default -> {
                }
            }
        }
        assertNotEquals(null, routeId);
        errors(call("GET", distributions(ws) + "/" + distributionId, token(ws), null), 404);
    }
}
