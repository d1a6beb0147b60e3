package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure under /api/v1/integration, the framework's included, answers the Apex shape
 * {@code {"error":{"code","message","details"}}}: wrong methods, unknown paths, wrong content types,
 * oversized headers and bodies, unreadable bodies.
 */
class IntegrationErrorShapeTest extends IntegrationTestSupport {

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        headers.put(name, value);
        return headers;
    }

    private static String allow(APIGatewayProxyResponseEvent response) {
        List<String> allow = response.getMultiValueHeaders().get("Allow");
        return allow == null ? "" : String.join(",", allow);
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        String token = token();
        String node = "/api/v1/integration/nodes/" + UUID.randomUUID();
        APIGatewayProxyResponseEvent patch = call("PATCH", node, api(token), "{}");
        error(patch, 405, "METHOD_NOT_ALLOWED");
        assertTrue(allow(patch).contains("GET") && allow(patch).contains("PUT") && allow(patch).contains("DELETE"), allow(patch));
        APIGatewayProxyResponseEvent list = call("GET", "/api/v1/integration/nodes", api(token), null);
        error(list, 405, "METHOD_NOT_ALLOWED");
        assertTrue(allow(list).contains("POST"), allow(list));
        // without a token or target server as well: the method is wrong whoever asks
        APIGatewayProxyResponseEvent auth = call("GET", "/api/v1/integration/auth/authenticate", Map.of(), null);
        error(auth, 405, "METHOD_NOT_ALLOWED");
        assertTrue(allow(auth).contains("POST"), allow(auth));
        error(call("DELETE", "/api/v1/integration/distributors/nodes/" + UUID.randomUUID(), api(token), null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void unknownPathsAre404() {
        String token = token();
        error(call("GET", "/api/v1/integration", api(token), null), 404, "NOT_FOUND");
        error(call("GET", "/api/v1/integration/unknown", api(token), null), 404, "NOT_FOUND");
        error(call("POST", "/api/v1/integration/auth/unknown", Map.of("X-Target-Server", "authentication"), "{}"), 404, "NOT_FOUND");
        error(call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID() + "/parent", Map.of(), null), 404, "NOT_FOUND");
    }

    @Test
    void bodiesMustBeJson() {
        String token = token();
        error(call("POST", "/api/v1/integration/nodes", with(api(token), "Content-Type", "text/plain"), "{\"name\":\"n\",\"type\":1}"),
                415, "UNSUPPORTED_MEDIA_TYPE");
        error(call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication", "Content-Type", "application/xml"), "<key/>"), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":"), 400, "INVALID_JSON");
        error(call("POST", "/api/v1/integration/nodes", api(token), "[]"), 400, "INVALID_JSON");
        error(call("POST", "/api/v1/integration/nodes", api(token), "\"text\""), 400, "INVALID_JSON");
        // the same body as application/json is fine
        assertEquals(201, call("POST", "/api/v1/integration/nodes", with(api(token), "Content-Type", "application/json"),
                "{\"name\":\"n\",\"type\":1}").getStatusCode());
    }

    @Test
    void fieldsOfTheWrongTypeOrUnknownAreNamed() {
        String token = token();
        assertEquals(Map.of("name", "must be a string"),
                error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":5,\"type\":1}"), 400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("type", "must be an integer"),
                error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"n\",\"type\":\"1\"}"), 400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("type", "must be an integer"),
                error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"n\",\"type\":1.5}"), 400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("extra", "unknown field"),
                error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"n\",\"type\":1,\"extra\":1}"), 400, "VALIDATION_ERROR").get("details"));
        String node = (String) createNode(token, "n", 1, null).get("id");
        assertEquals(Map.of("meta.authentication.tokn", "unknown field"),
                error(call("POST", "/api/v1/integration/distributors/nodes/" + node, api(token),
                        "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/w\",\"authentication\":{\"type\":2,\"tokn\":\"t\"}}}"),
                        400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("meta", "must be an object or null"),
                error(call("POST", "/api/v1/integration/distributors/nodes/" + node, api(token), "{\"meta\":\"x\"}"),
                        400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("name", "required", "type", NodeBodies.TYPES),
                error(call("POST", "/api/v1/integration/nodes", api(token), "{}"), 400, "VALIDATION_ERROR").get("details"));
        assertEquals(Map.of("meta.path", "must start with '/' and contain no spaces or control characters"),
                error(call("POST", "/api/v1/integration/distributors/nodes/" + node, api(token),
                        "{\"meta\":{\"host\":\"https://example.com\",\"path\":\"w\"}}"), 400, "VALIDATION_ERROR").get("details"));
    }

    @Test
    void oversizedHeadersAndBodiesAre413() {
        String token = token();
        error(call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(), api("x".repeat(20_000)), null), 413, "PAYLOAD_TOO_LARGE");
        error(call("POST", "/api/v1/integration/auth/authenticate",
                Map.of("X-Target-Server", "authentication", "Api-Key", "k".repeat(9000), "Api-Secret", "s"), null), 413, "PAYLOAD_TOO_LARGE");
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"" + "x".repeat(70_000) + "\",\"type\":1}"),
                413, "PAYLOAD_TOO_LARGE");
        // just under the limits: answered normally
        error(call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(), api(token + "x".repeat(6000)), null), 401, "UNAUTHORIZED");
        error(call("POST", "/api/v1/integration/nodes", api(token), "{\"name\":\"" + "x".repeat(60_000) + "\",\"type\":1}"),
                400, "VALIDATION_ERROR");
    }

    @Test
    void theTargetServerComesFirstThenTheTokenThenTheBody() {
        String path = "/api/v1/integration/nodes";
        error(call("POST", path, Map.of(), "{\"name\":"), 400, "MISSING_TARGET_SERVER");
        error(call("POST", path, api(null), "{\"name\":"), 401, "UNAUTHORIZED");
        error(call("POST", path, api(token()), "{\"name\":"), 400, "INVALID_JSON");
        assertNull(call("POST", path, api(null), "{}").getMultiValueHeaders().get("Retry-After"));
    }
}
