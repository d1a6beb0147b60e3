package io.contentplane.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure of the public API answers in Argus's shape with the right status: wrong methods
 * (405 with Allow), unknown paths (404), bodies and content types it has no use for, oversized
 * headers. The function ships no Micronaut Security (its jar stays small and starts fast).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusErrorShapeTest implements TestPropertyProvider {
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
        return props;
    }

    @BeforeAll
    void start() {
        handler = new StatusFunction(context);
        nodes.register(DEFAULT_NODE, null);
    }

    APIGatewayProxyResponseEvent send(String method, String path, Map<String, String> headers, String body) {
        return handler.handleRequest(LambdaEvents.request(method, path, headers, body), LambdaEvents.context());
    }

    Map<String, Object> argus(APIGatewayProxyResponseEvent response, int status) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        Map<String, Object> body;
        try {
            body = json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
        assertEquals("request_validation", body.get("type"), response.getBody());
        assertTrue(body.get("message") instanceof String m && !m.isBlank(), response.getBody());
        return body;
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void wrongMethodsAre405WithAllow(String method) {
        for (String path : List.of("/api/v1/status", "/api/v1/buckets", "/api/v1/nodes/" + DEFAULT_NODE + "/status")) {
            APIGatewayProxyResponseEvent response = send(method, path, Map.of(), method.equals("DELETE") ? null : "{}");
            assertEquals(method + " method not allowed", argus(response, 405).get("message"));
            // Micronaut answers HEAD wherever it answers GET
            assertEquals(java.util.Set.of("GET", "HEAD"), java.util.Set.of(StatusApiTestHeaders.get(response, "Allow").split(",")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/statuses", "/api/v1/nodes/" + DEFAULT_NODE, "/api/v1/nodes/" + DEFAULT_NODE + "/status/x", "/api/v1"})
    void unknownPathsAre404(String path) {
        argus(send("GET", path, Map.of(), null), 404);
    }

    /** A GET's body and content type mean nothing to it; a body the size of a small file changes nothing. */
    @Test
    void bodiesAndContentTypesOfAGetAreIgnored() {
        APIGatewayProxyResponseEvent response = send("GET", "/api/v1/status", Map.of("Content-Type", "text/plain"), "x".repeat(200_000));
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(405, send("POST", "/api/v1/status", Map.of("Content-Type", "text/plain"), "hello").getStatusCode());
    }

    @Test
    void oversizedHeadersAreNoError() {
        APIGatewayProxyResponseEvent response = send("GET", "/api/v1/status", Map.of("X-Padding", "p".repeat(20_000),
                "Authorization", "Bearer " + "t".repeat(20_000)), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
    }

    @Test
    void theFunctionShipsNoSecurity() {
        assertTrue(context.getBeanDefinitions(io.micronaut.http.filter.HttpServerFilter.class).stream()
                .noneMatch(d -> d.getBeanType().getName().startsWith("io.micronaut.security")));
        assertEquals(null, getClass().getClassLoader().getResource("io/micronaut/security/filters/SecurityFilter.class"));
    }
}
