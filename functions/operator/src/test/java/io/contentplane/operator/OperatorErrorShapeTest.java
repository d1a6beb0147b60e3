package io.contentplane.operator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.OperatorTokens;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure of the operator API answers in Argus's shape with the right status: wrong methods
 * (405 with Allow), unknown paths (404), wrong content types (415), oversized headers and bodies,
 * malformed JSON, invalid fields (400 with ajv's paths, messages and codes). The platform key is
 * configured too (as in the local runner), and its tokens are refused here.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorErrorShapeTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static final String DEFAULT_SECRET = "default-operator-secret";
    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    @Inject
    NodeControlService nodes;
    OperatorFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put("operator.hmac-secret", DEFAULT_SECRET);
        props.put("auth.jwt-secret", "platform-key-0123456789abcdef0123456789");
        return props;
    }

    @BeforeAll
    void start() {
        handler = new OperatorFunction(context);
        nodes.register(DEFAULT_NODE, DEFAULT_SECRET);
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

    static String header(APIGatewayProxyResponseEvent response, String name) {
        if (response.getMultiValueHeaders() != null) {
            for (Map.Entry<String, List<String>> e : response.getMultiValueHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", e.getValue());
                }
            }
        }
        if (response.getHeaders() != null) {
            for (Map.Entry<String, String> e : response.getHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** Was 500 {"type":"exception"} with an ERROR logged. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void wrongMethodsAre405WithAllow(String method) {
        String token = OperatorTokens.cli(DEFAULT_SECRET, "/api/v1/stop-api", Map.of());
        boolean withBody = !method.equals("GET") && !method.equals("DELETE");
        APIGatewayProxyResponseEvent response = send(method, "/api/v1/stop-api", Map.of("Authorization", "bearer " + token),
                withBody ? "{}" : null);
        assertEquals(method + " method not allowed", argus(response, 405).get("message"));
        assertEquals("POST", header(response, "Allow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/stop", "/api/v1/stop-api/now", "/api/v1/", "/api/v1/nodes/x/stop-api"})
    void unknownPathsAre404(String path) {
        String token = OperatorTokens.cli(DEFAULT_SECRET, path, Map.of());
        argus(send("POST", path, Map.of("Authorization", "bearer " + token), "{}"), 404);
        argus(send("GET", path, Map.of(), null), 404);
    }

    @Test
    void wrongContentTypesAre415() {
        String token = OperatorTokens.cli(DEFAULT_SECRET, "/api/v1/set-worker", Map.of("workerId", 1));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            APIGatewayProxyResponseEvent response = send("POST", "/api/v1/set-worker",
                    Map.of("Authorization", "bearer " + token, "Content-Type", type), "{\"workerId\":1}");
            argus(response, 415);
        }
        assertEquals(null, nodes.find(DEFAULT_NODE).orElseThrow().workerId());
    }

    @Test
    void oversizedBodiesAre413AndOversizedTokens401() {
        String body = "{\"workerId\": 1, \"pad\": \"" + "x".repeat(110_000) + "\"}";
        String token = OperatorTokens.cli(DEFAULT_SECRET, "/api/v1/set-worker", Map.of("workerId", 1));
        assertEquals("request entity too large (limit 100kb)",
                argus(send("POST", "/api/v1/set-worker", Map.of("Authorization", "bearer " + token), body), 413).get("message"));
        argus(send("POST", "/api/v1/set-worker", Map.of("Authorization", "bearer " + "x".repeat(20_000)), "{\"workerId\":1}"), 401);
        Map<String, String> bigHeader = new LinkedHashMap<>();
        bigHeader.put("Authorization", "bearer " + token);
        bigHeader.put("X-Padding", "p".repeat(20_000));
        // an oversized unrelated header does not matter: the request is answered as any other
        assertEquals(200, send("POST", "/api/v1/set-worker", bigHeader, "{\"workerId\":1}").getStatusCode());
    }

    @Test
    void malformedJsonIs400() {
        String token = OperatorTokens.cli(DEFAULT_SECRET, "/api/v1/set-worker", Map.of("workerId", 1));
        for (String body : List.of("{\"workerId\": 1", "{workerId: 1}", "[1,]", "'x'")) {
            Map<String, Object> error = argus(send("POST", "/api/v1/set-worker", Map.of("Authorization", "bearer " + token), body), 400);
            assertEquals("Request body is not valid JSON", error.get("message"), body);
        }
    }

    /** express-openapi-validator's paths, messages and error codes, one entry per problem. */
    @Test
    void invalidFieldsAreNamedAsArgusNamesThem() {
        assertEquals(List.of(Map.of("path", ".body.workerId", "message", "must have required property 'workerId'",
                        "errorCode", "required.openapi.validation")),
                errors("set-worker", "{}"));
        assertEquals(List.of(Map.of("path", ".body.workerId", "message", "must be integer", "errorCode", "type.openapi.validation")),
                errors("set-worker", "{\"workerId\": \"1\"}"));
        assertEquals(List.of(Map.of("path", ".body.workerId", "message", "must be integer", "errorCode", "type.openapi.validation")),
                errors("set-worker", "{\"workerId\": null}"));
        assertEquals(List.of(Map.of("path", ".body.workerId", "message", "must be >= 0", "errorCode", "minimum.openapi.validation")),
                errors("set-worker", "{\"workerId\": -1}"));
        assertEquals(List.of(Map.of("path", ".body.workerId", "message", "must be <= 9223372036854775807", "errorCode", "maximum.openapi.validation")),
                errors("set-worker", "{\"workerId\": 9223372036854775808}"));
        assertEquals(List.of(
                        Map.of("path", ".body.extra", "message", "must NOT have additional properties", "errorCode", "additionalProperties.openapi.validation"),
                        Map.of("path", ".body.workerId", "message", "must be integer", "errorCode", "type.openapi.validation")),
                errors("set-worker", "{\"workerId\": 1.5, \"extra\": true}"));
        assertEquals(List.of(Map.of("path", ".body", "message", "must be object", "errorCode", "type.openapi.validation")),
                errors("set-worker", "[1]"));
        assertEquals(List.of(Map.of("path", ".body.buckets", "message", "must be array", "errorCode", "type.openapi.validation")),
                errors("set-buckets", "{\"buckets\": null}"));
        assertEquals(List.of(Map.of("path", ".body.buckets", "message", "must NOT have fewer than 1 items", "errorCode", "minItems.openapi.validation")),
                errors("set-buckets", "{\"buckets\": []}"));
        assertEquals(List.of(
                        Map.of("path", ".body.buckets", "message", "must NOT have duplicate items (item 2 repeats an earlier one)", "errorCode", "uniqueItems.openapi.validation"),
                        Map.of("path", ".body.buckets[1]", "message", "must match pattern \"^[0-9]+:[0-9]+$\"", "errorCode", "pattern.openapi.validation"),
                        Map.of("path", ".body.buckets[3]", "message", "must be string (bucket ids must not mix integers and strings)", "errorCode", "type.openapi.validation")),
                errors("set-buckets", "{\"buckets\": [\"1:1\", \"a:b\", \"1:1\", 4]}"));
        assertEquals(List.of(Map.of("path", ".body.force", "message", "must NOT have additional properties", "errorCode", "additionalProperties.openapi.validation")),
                errors("stop-api", "{\"force\": true}"));
    }

    @SuppressWarnings("unchecked")
    List<Object> errors(String op, String body) {
        String path = "/api/v1/" + op;
        Object parsed;
        try {
            parsed = json.readValue(body, Argument.of(Object.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        String token = OperatorTokens.cli(DEFAULT_SECRET, path, parsed);
        Map<String, Object> error = argus(send("POST", path, Map.of("Authorization", "bearer " + token), body), 400);
        assertTrue(((String) error.get("message")).startsWith("request.body"), error.toString());
        return (List<Object>) error.get("errors");
    }

    /** A token signed with the platform key (integration, distributions) is no operator token. */
    @Test
    void platformTokensAre401() {
        TokenGenerator platform = context.getBean(TokenGenerator.class);
        long now = System.currentTimeMillis() / 1000;
        for (Map<String, Object> claims : List.<Map<String, Object>>of(
                Map.of("sub", "key", "aud", "integration", "iss", "contentplane", "tenant", "dev", "exp", now + 60),
                Map.of("sub", "dev", "scope", "DISTRIBUTION_MANAGE", "workspaces", List.of("w"), "exp", now + 60))) {
            String token = platform.generateToken(claims).orElseThrow();
            argus(send("POST", "/api/v1/stop-api", Map.of("Authorization", "Bearer " + token), null), 401);
        }
        assertFalse(nodes.find(DEFAULT_NODE).orElseThrow().apiState().name().equals("STOPPED"));
    }
}
