package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test context (Micronaut Test, one per test class) on DynamoDB Local and H2, the Lambda handler
 * on it, and helpers for the integration handler tests: every request is a REST API (v1) event
 * through {@code handleRequest}.
 */
@MicronautTest(startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IntegrationTestSupport implements TestPropertyProvider {
    static final String KEY = "key-a";
    static final String SECRET = "secret-a";
    static final String OTHER_KEY = "key-b";
    static final String OTHER_SECRET = "secret-b";
    static final String PLATFORM_KEY = "test-platform-key-0123456789abcdef0123456789";

    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    /** Round trips to each store, for the tests that count them (reset before the request counted). */
    @Inject
    DynamoDbRequestCounter dynamoRequests;
    @Inject
    JdbcStatementCounter jdbcStatements;
    IntegrationFunction handler;
    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, Object> p = new HashMap<>(TestDatabases.h2());
            p.putAll(TestDynamo.properties());
            p.put("auth.jwt-secret", PLATFORM_KEY);
            p.put("integration.rate-limit-per-minute", rateLimitPerMinute());
            p.put(JdbcStatementCounter.ENABLED, true);
            Map<String, String> strings = new HashMap<>();
            p.forEach((k, v) -> strings.put(k, String.valueOf(v)));
            properties = strings;
        }
        return properties;
    }

    /** High enough that the tests' requests are never limited; the rate-limit test sets its own. */
    int rateLimitPerMinute() {
        return 1000;
    }

    @BeforeAll
    void start() {
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        context.getBean(ApiKeyStore.class).put(KEY, SECRET, "tenant-a");
        context.getBean(ApiKeyStore.class).put(OTHER_KEY, OTHER_SECRET, "tenant-b");
        // The handler on the test's context (Micronaut Test closes it after the class).
        handler = new IntegrationFunction(context);
    }

    APIGatewayProxyResponseEvent call(String method, String path, Map<String, String> headers, String body) {
        return call(handler, method, path, headers, body);
    }

    static APIGatewayProxyResponseEvent call(IntegrationFunction handler, String method, String path, Map<String, String> headers, String body) {
        APIGatewayProxyRequestEvent event = LambdaEvents.request(method, path, headers, body);
        int q = path.indexOf('?');
        if (q >= 0) {
            event.setPath(path.substring(0, q));
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            LambdaEvents.withQuery(event, query);
        }
        return handler.handleRequest(event, LambdaEvents.context());
    }

    static Map<String, String> api(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Target-Server", "integration");
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        return h;
    }

    Map<String, Object> body(APIGatewayProxyResponseEvent response) {
        try {
            return json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    /** Asserts the status and the Apex error shape with {@code code}; answers the error object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> error(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        Map<String, Object> body = body(response);
        assertEquals(1, body.size(), response.getBody());
        Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertEquals(code, error.get("code"), response.getBody());
        assertTrue(error.get("message") instanceof String m && !m.isBlank(), response.getBody());
        assertTrue(error.get("details") instanceof Map, response.getBody());
        assertEquals(3, error.size(), response.getBody());
        return error;
    }

    Map<String, Object> login(String key, String secret) {
        APIGatewayProxyResponseEvent r = call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication"), "{\"api_key\":\"" + key + "\",\"secret_key\":\"" + secret + "\"}");
        assertEquals(200, r.getStatusCode(), r.getBody());
        return body(r);
    }

    /** The version (creation time) of a stored key, as its tokens carry it. */
    String keyVersion(String key, String secret) {
        return context.getBean(ApiKeyStore.class).verify(key, secret).orElseThrow().version();
    }

    String token() {
        return (String) login(KEY, SECRET).get("access_token");
    }

    Map<String, Object> createNode(String token, String name, int type, String parent) {
        String body = "{\"name\":\"" + name + "\",\"type\":" + type + (parent == null ? "" : ",\"parent_id\":\"" + parent + "\"") + "}";
        APIGatewayProxyResponseEvent r = call("POST", "/api/v1/integration/nodes", api(token), body);
        assertEquals(201, r.getStatusCode(), r.getBody());
        return body(r);
    }

    static final String SEED_CREATE = """
            {"meta": {"host": "https://example.com", "path": "/webhook", "method": 1,
              "authentication": {"type": 1, "username": "user", "password": "pass"}}}""";
}
