package io.contentplane.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node public API through the Lambda handler, and every file in events/ replayed. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusApiTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    @Inject
    NodeControlService nodes;
    StatusFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put("node.shutdown-grace", "1500ms"); // long enough to observe SHUTTING_DOWN on a loaded machine
        return props;
    }

    @BeforeAll
    void start() {
        handler = new StatusFunction(context);
        nodes.register(DEFAULT_NODE, null);
    }

    APIGatewayProxyResponseEvent get(String path) {
        return handler.handleRequest(LambdaEvents.request("GET", path, Map.of(), null), LambdaEvents.context());
    }

    Map<String, Object> body(APIGatewayProxyResponseEvent response) {
        try {
            return json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    String newNode() {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        return id;
    }

    @Test
    void statusOfARunningNode() {
        String id = newNode();
        nodes.setWorker(id, 12);
        APIGatewayProxyResponseEvent response = get("/api/v1/nodes/" + id + "/status");
        assertEquals(200, response.getStatusCode(), response.getBody());
        Map<String, Object> status = body(response);
        assertEquals(id, status.get("id"));
        assertEquals(12, ((Number) status.get("workerId")).intValue());
        assertEquals("STARTED", status.get("publicApi"));
        assertEquals("RUNNING", status.get("lifecycle"));
        assertTrue(((Number) status.get("uptime")).longValue() >= 0);
        assertEquals("0.1.0", status.get("version"));
    }

    @Test
    void bucketsFollowArgusRules() {
        String id = newNode();
        String path = "/api/v1/nodes/" + id + "/buckets";
        assertEquals(Map.of("bucketIds", List.of()), body(get(path)));
        nodes.setWorker(id, 4);
        assertEquals(Map.of("allByWorkerId", 4), body(get(path)));
        nodes.setBuckets(id, "[\"1:0\",\"2:3\"]");
        assertEquals(Map.of("bucketIds", List.of("1:0", "2:3")), body(get(path)));
        nodes.setBuckets(id, "[5,6]");
        assertEquals(Map.of("bucketIds", List.of(5, 6)), body(get(path)));
    }

    @Test
    void defaultNodeRoutes() {
        assertEquals(DEFAULT_NODE, body(get("/api/v1/status")).get("id"));
        assertTrue(body(get("/api/v1/buckets")).containsKey("bucketIds")
                || body(get("/api/v1/buckets")).containsKey("allByWorkerId"));
    }

    @Test
    void stoppedOrShutDownIs503WithRetryAfter() throws Exception {
        String id = newNode();
        nodes.stopApi(id);
        for (String what : List.of("status", "buckets")) {
            APIGatewayProxyResponseEvent response = get("/api/v1/nodes/" + id + "/" + what);
            assertEquals(503, response.getStatusCode());
            assertEquals("30", retryAfter(response));
            assertEquals(Map.of("type", "unavailable", "message", "Public API is stopped"), body(response));
        }
        nodes.startApi(id);
        assertEquals(200, get("/api/v1/nodes/" + id + "/status").getStatusCode());
        nodes.shutdown(id);
        APIGatewayProxyResponseEvent shuttingDown = get("/api/v1/nodes/" + id + "/status");
        assertEquals(503, shuttingDown.getStatusCode());
        assertEquals("Node is shutting down", body(shuttingDown).get("message"));
        Thread.sleep(1_600);
        APIGatewayProxyResponseEvent shutDown = get("/api/v1/nodes/" + id + "/buckets");
        assertEquals(503, shutDown.getStatusCode());
        assertEquals("Node is shut down", body(shutDown).get("message"));
        assertEquals("30", retryAfter(shutDown));
        nodes.boot(id);
        assertEquals(200, get("/api/v1/nodes/" + id + "/buckets").getStatusCode());
    }

    @Test
    void unknownNodeIs404() {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-node", "x".repeat(200), "%27%20OR%201%3D1")) {
            APIGatewayProxyResponseEvent response = get("/api/v1/nodes/" + id + "/status");
            assertEquals(404, response.getStatusCode(), id);
            assertEquals("not_found", body(response).get("type"));
        }
    }

    @Test
    void everyEventFileIsAnsweredAsDocumented() throws IOException {
        EventReplays.of("status").replay(new EventReplays.Stores(context, null), Path.of("events"), EventReplays.handler(handler));
    }

    private static String retryAfter(APIGatewayProxyResponseEvent response) {
        if (response.getMultiValueHeaders() != null && response.getMultiValueHeaders().get("Retry-After") != null) {
            return response.getMultiValueHeaders().get("Retry-After").get(0);
        }
        return response.getHeaders() == null ? null : response.getHeaders().get("Retry-After");
    }
}
