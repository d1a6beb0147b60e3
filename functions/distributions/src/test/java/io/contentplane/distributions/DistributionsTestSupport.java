package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.DistributionsTable;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Micronaut test context on DynamoDB Local (its own distributions table; the function has no
 * relational database) with the test platform key, the Lambda handler over it, tokens and helpers
 * for distributions handler tests. Every test takes fresh workspaces, so tests sharing the table
 * never see each other's data.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DistributionsTestSupport implements TestPropertyProvider {
    static final String PLATFORM_KEY = "test-platform-key-0123456789abcdef0123456789";
    static final List<String> ALL_SCOPES = DistributionTokens.SCOPES;
    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    static ApplicationContext context;
    static DistributionsFunction handler;
    static JsonMapper json;
    static DistributionTokens tokens;

    @Inject
    ApplicationContext testContext;

    /** Counts each test context's DynamoDB requests (the client factory adds it to the client; tests that count reset it). */
    @Factory
    static class RequestCounting {
        @Singleton
        DynamoDbRequestCounter dynamoRequests() {
            return new DynamoDbRequestCounter();
        }
    }

    /** DynamoDB Local, a distributions table of this class's own and the test platform key. */
    @Override
    public Map<String, String> getProperties() {
        return properties(getClass().getSimpleName());
    }

    static Map<String, String> properties(String table) {
        Map<String, String> props = new LinkedHashMap<>();
        TestDynamo.properties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("dynamodb.tables.distributions", table + "-" + System.nanoTime());
        props.put("auth.jwt-secret", PLATFORM_KEY);
        return props;
    }

    @BeforeAll
    void start() {
        context = testContext;
        context.getBean(DistributionsTable.class).create(context.getBean(DynamoDbClient.class));
        handler = new DistributionsFunction(context);
        json = context.getBean(JsonMapper.class);
        tokens = context.getBean(DistributionTokens.class);
    }

    /** A workspace no other test uses. */
    static String workspace() {
        return "ws-" + WORKSPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    /** A token with every distributions scope for {@code workspaces}. */
    static String token(String... workspaces) {
        return tokens.issue("user-1", ALL_SCOPES, List.of(workspaces), Duration.ofMinutes(10));
    }

    static String tokenWithScopes(List<String> scopes, String... workspaces) {
        return tokens.issue("user-1", scopes, List.of(workspaces), Duration.ofMinutes(10));
    }

    static APIGatewayProxyResponseEvent call(String method, String path, String token, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return callWithHeaders(method, path, headers, body);
    }

    static APIGatewayProxyResponseEvent callWithHeaders(String method, String path, Map<String, String> headers, String body) {
        int q = path.indexOf('?');
        APIGatewayProxyRequestEvent event = LambdaEvents.request(method, q < 0 ? path : path.substring(0, q), headers, body);
        if (q >= 0) {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            LambdaEvents.withQuery(event, query);
        }
        return handler.handleRequest(event, LambdaEvents.context());
    }

    static Map<String, Object> body(APIGatewayProxyResponseEvent response) {
        try {
            return json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    /** Checks the status and Buddy's error shape exactly; answers the messages. */
    @SuppressWarnings("unchecked")
    static List<String> errors(APIGatewayProxyResponseEvent response, int status) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        Map<String, Object> body = body(response);
        assertEquals(List.of("errors"), List.copyOf(body.keySet()), response.getBody());
        List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
        assertFalse(errors.isEmpty(), response.getBody());
        for (Map<String, Object> error : errors) {
            assertEquals(List.of("message"), List.copyOf(error.keySet()), response.getBody());
            assertTrue(error.get("message") instanceof String m && !m.isBlank(), response.getBody());
        }
        return errors.stream().map(e -> (String) e.get("message")).toList();
    }

    /** A response header as the Lambda answer carries it (single-value map first, as API Gateway reads both). */
    static String header(APIGatewayProxyResponseEvent response, String name) {
        if (response.getHeaders() != null && response.getHeaders().containsKey(name)) {
            return response.getHeaders().get(name);
        }
        List<String> values = response.getMultiValueHeaders() == null ? null : response.getMultiValueHeaders().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static String distributions(String workspace) {
        return "/workspaces/" + workspace + "/distributions";
    }

    static Map<String, Object> created(APIGatewayProxyResponseEvent response) {
        assertEquals(201, response.getStatusCode(), response.getBody());
        return body(response);
    }

    static Map<String, Object> createDistribution(String workspace, String token, String body) {
        return created(call("POST", distributions(workspace), token, body));
    }

    static Map<String, Object> createRoute(String workspace, String token, String distributionId, String body) {
        return created(call("POST", distributions(workspace) + "/" + distributionId + "/routes", token, body));
    }

    static final String SEED_WORKSPACE = """
            { "name": "My Distribution", "scope": "WORKSPACE", "identifier": "my-distribution" }""";
    static final String SEED_PROJECT = """
            { "name": "My Distribution", "scope": "PROJECT", "identifier": "my-distribution", "project_name": "my-project" }""";
    static final String SEED_ENVIRONMENT = """
            { "name": "My Distribution", "scope": "ENVIRONMENT", "identifier": "my-distribution", "environment_id": "3a4KbBQl" }""";

    /** The three routes of seed 003's example response, as create bodies. */
    static final String SEED_ROUTE_EXTERNAL = """
            {"type": "PROXY", "subdomain": "testing3", "domain": "buddy.works", "path": "",
             "targets": {"Default": {"type": "EXTERNAL", "external_url": "kordos.com"}}}""";
    static final String SEED_ROUTE_TUNNEL = """
            {"type": "PROXY", "subdomain": "tunnel", "domain": "buddy.works", "path": "",
             "targets": {"Default": {"type": "TUNNEL", "tunnel": {"id": "bartshoot", "tunnel_id": "test"}}}}""";
    static final String SEED_ROUTE_GEO = """
            {"type": "PROXY", "subdomain": "asdf", "domain": "buddy.works", "path": "asd",
             "targets": {"COUNTRY-PL": {"type": "EXTERNAL", "external_url": "testpl.com"},
                         "CONTINENT-Europe": {"type": "EXTERNAL", "external_url": "testeu.com"},
                         "Default": {"type": "EXTERNAL", "external_url": "test.com"}}}""";
}
