package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure under {@code /workspaces} - the framework's as well as the API's own - is answered
 * in Buddy's shape {@code {"errors":[{"message"}]}} (checked exactly by {@link #errors}): wrong
 * methods, unknown paths, wrong content types, malformed JSON, oversized headers and bodies.
 */
class DistributionsErrorShapeTest extends DistributionsTestSupport {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // method | path under the workspace | allowed
            "PUT, /distributions, 'HEAD, POST, GET'",
            "DELETE, /distributions, 'HEAD, POST, GET'",
            "PATCH, /distributions, 'HEAD, POST, GET'",
            "POST, /distributions/abcdefgh, 'PATCH, HEAD, DELETE, GET'",
            "PUT, /distributions/abcdefgh/routes/abcdefgh, 'PATCH, HEAD, DELETE, GET'",
            "POST, /distributions/abcdefgh/resolve, 'HEAD, GET'",
    })
    void wrongMethodsAre405WithAllow(String method, String path, String allowed) {
        String ws = workspace();
        APIGatewayProxyResponseEvent r = call(method, "/workspaces/" + ws + path, token(ws), "{}");
        List<String> messages = errors(r, 405);
        String prefix = "Method " + method + " is not allowed here; allowed: ";
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).startsWith(prefix), messages.toString());
        assertEquals(sorted(allowed.split(", ")), sorted(messages.get(0).substring(prefix.length()).split(", ")));
        assertEquals(sorted(allowed.split(", ")), sorted(header(r, "Allow").split(",")));
    }

    private static List<String> sorted(String[] methods) {
        return java.util.Arrays.stream(methods).map(String::trim).sorted().toList();
    }

    @ParameterizedTest
    @CsvSource({"/workspaces", "/workspaces/ws", "/workspaces/ws/other", "/workspaces/ws/distributions/abcdefgh/nothing/here",
            "/workspaces/ws/distributions/abcdefgh/routes/abcdefgh/x"})
    void unknownPathsAre404WithOrWithoutAToken(String path) {
        assertEquals(List.of("Not Found"), errors(call("GET", path, null, null), 404));
        assertEquals(List.of("Not Found"), errors(call("GET", path, token("ws"), null), 404));
    }

    @ParameterizedTest
    @CsvSource({"POST, text/plain", "POST, application/xml", "PATCH, application/x-www-form-urlencoded"})
    void bodiesOtherThanJsonAre415(String method, String contentType) {
        String ws = workspace();
        String token = token(ws);
        String path = method.equals("POST") ? distributions(ws) : distributions(ws) + "/" + createDistribution(ws, token, SEED_WORKSPACE).get("id");
        APIGatewayProxyResponseEvent r = callWithHeaders(method, path,
                Map.of("Authorization", "Bearer " + token, "Content-Type", contentType), "{\"name\":\"n\",\"scope\":\"WORKSPACE\"}");
        assertEquals(List.of("Content-Type must be application/json"), errors(r, 415));
    }

    @Test
    void malformedAndNonObjectJsonIs400() {
        String ws = workspace();
        String token = token(ws);
        assertEquals(List.of("Request body is not valid JSON"), errors(call("POST", distributions(ws), token, "{\"name\":"), 400));
        assertEquals(List.of("Request body is not valid JSON"), errors(call("POST", distributions(ws), token, "{'name':1}"), 400));
        assertEquals(List.of("Request body must be a JSON object"), errors(call("POST", distributions(ws), token, "[1]"), 400));
        // no body at all reads as {}, as before
        assertEquals(List.of("name is required", "scope is required"), errors(call("POST", distributions(ws), token, null), 400));
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        assertEquals(List.of("Request body is not valid JSON"), errors(call("PATCH", distributions(ws) + "/" + id, token, "{"), 400));
        assertEquals(List.of("Request body must be a JSON object"),
                errors(call("POST", distributions(ws) + "/" + id + "/routes", token, "\"x\""), 400));
    }

    @Test
    void oversizedBodiesAre413EvenWhenValid() {
        String ws = workspace();
        String token = token(ws);
        String big = "{\"name\":\"n\",\"scope\":\"WORKSPACE\",\"permissions\":{\"users\":["
                + "{\"id\":1,\"access_level\":\"MANAGE\"},".repeat(3000) + "{\"id\":2,\"access_level\":\"MANAGE\"}]}}";
        assertTrue(big.length() > BuddyBodies.MAX_BODY_BYTES);
        assertEquals(List.of("Request body exceeds 65536 bytes"), errors(call("POST", distributions(ws), token, big), 413));
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        assertEquals(List.of("Request body exceeds 65536 bytes"),
                errors(call("PATCH", distributions(ws) + "/" + id, token, "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413));
        assertEquals(List.of("Request body exceeds 65536 bytes"),
                errors(call("POST", distributions(ws) + "/" + id + "/routes", token, " ".repeat(70_000) + "{}"), 413));
    }

    @Test
    void anOversizedBearerTokenIs401() {
        String ws = workspace();
        APIGatewayProxyResponseEvent r = callWithHeaders("GET", distributions(ws),
                Map.of("Authorization", "Bearer " + token(ws) + "x".repeat(20_000)), null);
        assertEquals(List.of("Token is invalid or expired"), errors(r, 401));
        APIGatewayProxyResponseEvent garbage = callWithHeaders("GET", distributions(ws),
                Map.of("Authorization", "Bearer " + "a.b.c".repeat(4_000)), null);
        errors(garbage, 401);
    }
}
