package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.webhook.WebhookTargetGuard;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/** A context on DynamoDB Local and H2, the Lambda handler, and helpers for integration handler tests. */
abstract class IntegrationTestSupport {
    static final String KEY = "key-a";
    static final String SECRET = "secret-a";
    static final String OTHER_KEY = "key-b";
    static final String OTHER_SECRET = "secret-b";
    static ApplicationContext context;
    static IntegrationFunction handler;
    static JsonMapper json;
    /** Round trips to each store, for the tests that count them (reset before the request counted). */
    static DynamoDbRequestCounter dynamoRequests;
    static JdbcStatementCounter jdbcStatements;

    /** DNS for the tests: no real lookups; one name rebinds to a private address. */
    static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "example.com" -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{93, (byte) 184, (byte) 215, 14})};
            case "internal.example" -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{10, 0, 0, 7})};
            default -> throw new UnknownHostException(host);
        };
    }

    @BeforeAll
    static void start() {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.put("auth.jwt-secret", "test-platform-key-0123456789abcdef0123456789");
        props.put("integration.rate-limit-per-minute", 1000);
        props.put(JdbcStatementCounter.ENABLED, true);
        dynamoRequests = new DynamoDbRequestCounter();
        context = ApplicationContext.builder().properties(props)
                .singletons(new WebhookTargetGuard(false, IntegrationTestSupport::resolve), dynamoRequests).start();
        jdbcStatements = context.getBean(JdbcStatementCounter.class);
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        context.getBean(ApiKeyStore.class).put(KEY, SECRET, "tenant-a");
        context.getBean(ApiKeyStore.class).put(OTHER_KEY, OTHER_SECRET, "tenant-b");
        handler = new IntegrationFunction(context);
        json = context.getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    static APIGatewayProxyResponseEvent call(String method, String path, Map<String, String> headers, String body) {
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

    static Map<String, Object> body(APIGatewayProxyResponseEvent response) {
        try {
            return json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> error(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        Map<String, Object> error = (Map<String, Object>) body(response).get("error");
        assertEquals(code, error.get("code"), response.getBody());
        assertTrue(error.get("message") instanceof String m && !m.isBlank());
        assertTrue(error.get("details") instanceof Map);
        return error;
    }

    static Map<String, Object> login(String key, String secret) {
        APIGatewayProxyResponseEvent r = call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication"), "{\"api_key\":\"" + key + "\",\"secret_key\":\"" + secret + "\"}");
        assertEquals(200, r.getStatusCode(), r.getBody());
        return body(r);
    }

    static String token() {
        return (String) login(KEY, SECRET).get("access_token");
    }

    static Map<String, Object> createNode(String token, String name, int type, String parent) {
        String body = "{\"name\":\"" + name + "\",\"type\":" + type + (parent == null ? "" : ",\"parent_id\":\"" + parent + "\"") + "}";
        APIGatewayProxyResponseEvent r = call("POST", "/api/v1/integration/nodes", api(token), body);
        assertEquals(201, r.getStatusCode(), r.getBody());
        return body(r);
    }

    static final String SEED_CREATE = """
            {"meta": {"host": "https://example.com", "path": "/webhook", "method": 1,
              "authentication": {"type": 1, "username": "user", "password": "pass"}}}""";
}
