package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.distribution.DistributionTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens (401), scopes (403) and workspace tenancy (404) on every endpoint. */
class DistributionsAuthTest extends DistributionsTestSupport {

    /** Claims of a valid token for {@code workspace}, to be spoiled one at a time. */
    static Map<String, Object> claims(String workspace) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "user-1");
        claims.put("scope", String.join(" ", ALL_SCOPES));
        claims.put("workspaces", List.of(workspace));
        claims.put("iat", now);
        claims.put("exp", now + 600);
        return claims;
    }

    /** {@code claims} as they are (even malformed ones), signed HS256 with the platform key. */
    static String sign(Map<String, Object> claims) {
        return sign("HS256", claims, PLATFORM_KEY);
    }

    /** A JWT as any library would make it, with an HMAC algorithm of the JWS family (HS256, HS384, HS512). */
    static String sign(String algorithm, Map<String, Object> claims, String key) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        try {
            String input = base64.encodeToString(json.writeValueAsBytes(Map.of("alg", algorithm, "typ", "JWT"))) + "."
                    + base64.encodeToString(json.writeValueAsBytes(claims));
            String javaAlgorithm = "HmacSHA" + algorithm.substring(2);
            Mac mac = Mac.getInstance(javaAlgorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), javaAlgorithm));
            return input + "." + base64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHandMadeTokenAsTheReadmeDescribesItWorks() {
        String ws = workspace();
        // sub, scope, workspaces, iat, exp and nothing more (no aud)
        assertEquals(200, call("GET", distributions(ws), sign(claims(ws)), null).getStatusCode());
        Map<String, Object> withAudience = claims(ws);
        withAudience.put("aud", List.of("other", "distributions"));
        assertEquals(200, call("GET", distributions(ws), sign(withAudience), null).getStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "no-exp", "exp-string", "audience-integration", "audience-list-without-us", "audience-null",
            "no-sub", "blank-sub", "no-scope", "scope-list", "no-workspaces", "workspaces-string", "workspaces-numbers",
            "not-yet-valid", "nbf-string"})
    void spoiledClaimsAre401(String spoil) {
        String ws = workspace();
        Map<String, Object> c = claims(ws);
        long now = System.currentTimeMillis() / 1000;
        switch (spoil) {
            case "expired" -> c.put("exp", now - 1);
            case "no-exp" -> c.remove("exp");
            case "exp-string" -> c.put("exp", String.valueOf(now + 600));
            case "audience-integration" -> c.put("aud", "integration");
            case "audience-list-without-us" -> c.put("aud", List.of("integration"));
            case "audience-null" -> c.put("aud", null);
            case "no-sub" -> c.remove("sub");
            case "blank-sub" -> c.put("sub", " ");
            case "no-scope" -> c.remove("scope");
            case "scope-list" -> c.put("scope", ALL_SCOPES);
            case "no-workspaces" -> c.remove("workspaces");
            case "workspaces-string" -> c.put("workspaces", ws);
            case "workspaces-numbers" -> c.put("workspaces", List.of(1));
            case "not-yet-valid" -> c.put("nbf", now + 300);
            case "nbf-string" -> c.put("nbf", "soon");
            default -> throw new IllegalArgumentException(spoil);
        }
        APIGatewayProxyResponseEvent r = call("GET", distributions(ws), sign(c), null);
        assertEquals(List.of("Token is invalid or expired"), errors(r, 401));
        assertEquals("Bearer realm=\"distributions\", error=\"invalid_token\"", header(r, "WWW-Authenticate"));
    }

    @Test
    void missingMalformedForgedAndForeignTokensAre401() {
        String ws = workspace();
        APIGatewayProxyResponseEvent none = call("GET", distributions(ws), null, null);
        assertEquals(List.of("Authorization header with a Bearer token is required"), errors(none, 401));
        assertEquals("Bearer realm=\"distributions\"", header(none, "WWW-Authenticate"));
        assertEquals(List.of("Authorization must be 'Bearer <token>'"),
                errors(callWithHeaders("GET", distributions(ws), Map.of("Authorization", "Basic " + token(ws)), null), 401));
        assertEquals(List.of("Authorization must be 'Bearer <token>'"),
                errors(callWithHeaders("GET", distributions(ws), Map.of("Authorization", "Bearer a b"), null), 401));
        // the scheme word is case-insensitive
        assertEquals(200, callWithHeaders("GET", distributions(ws), Map.of("Authorization", "bearer " + token(ws)), null).getStatusCode());
        errors(call("GET", distributions(ws), "not-a-token", null), 401);
        String[] parts = token(ws).split("\\.");
        errors(call("GET", distributions(ws), parts[0] + "." + parts[1] + ".AAAA", null), 401);
        String otherKey = sign("HS256", claims(ws), "another-key-0123456789abcdef0123456789");
        assertEquals(List.of("Token is invalid or expired"), errors(call("GET", distributions(ws), otherKey, null), 401));
    }

    @Test
    void onlyHs256WithThePlatformKeyIsAccepted() {
        String ws = workspace();
        // HS384 and HS512 with the right key
        errors(call("GET", distributions(ws), sign("HS384", claims(ws), PLATFORM_KEY), null), 401);
        errors(call("GET", distributions(ws), sign("HS512", claims(ws), PLATFORM_KEY), null), 401);
        // alg none: the same claims, unsigned
        String[] parts = sign(claims(ws)).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        APIGatewayProxyResponseEvent unsigned = call("GET", distributions(ws), none + "." + parts[1] + ".", null);
        assertEquals(List.of("Token is invalid or expired"), errors(unsigned, 401));
        assertEquals("Bearer realm=\"distributions\", error=\"invalid_token\"", header(unsigned, "WWW-Authenticate"));
        // the HS256 header over the same claims works, so the refusals above are the algorithm's
        assertEquals(200, call("GET", distributions(ws), parts[0] + "." + parts[1] + "." + parts[2], null).getStatusCode());
    }

    @Test
    void tokensOfTheOtherApisAreRefused() {
        String ws = workspace();
        long now = System.currentTimeMillis() / 1000;
        // an integration access token (audience integration), signed with the same platform key
        Map<String, Object> integration = new LinkedHashMap<>();
        integration.put("iss", "contentplane");
        integration.put("sub", "key-a");
        integration.put("aud", "integration");
        integration.put("tenant", ws);
        integration.put("iat", now);
        integration.put("exp", now + 600);
        assertEquals(List.of("Token is invalid or expired"), errors(call("GET", distributions(ws), sign(integration), null), 401));
        // an Argus operator token (reqUrl, reqBody), even one that also carries distributions claims
        Map<String, Object> operator = claims(ws);
        operator.put("reqUrl", distributions(ws));
        operator.put("reqBody", Map.of());
        assertEquals(List.of("Token is invalid or expired"), errors(call("GET", distributions(ws), sign(operator), null), 401));
        Map<String, Object> operatorOnly = new LinkedHashMap<>();
        operatorOnly.put("reqUrl", "/api/v1/stop-api");
        operatorOnly.put("reqBody", Map.of());
        operatorOnly.put("iat", now);
        operatorOnly.put("exp", now + 60);
        errors(call("GET", distributions(ws), sign(operatorOnly), null), 401);
    }

    @Test
    void everyEndpointNeedsItsScope() {
        String ws = workspace();
        String all = token(ws);
        String id = (String) createDistribution(ws, all, SEED_WORKSPACE).get("id");
        String routeId = (String) createRoute(ws, all, id, SEED_ROUTE_GEO).get("id");
        String d = distributions(ws) + "/" + id;
        String r = d + "/routes/" + routeId;
        String info = tokenWithScopes(List.of(DistributionTokens.INFO), ws);
        String add = tokenWithScopes(List.of(DistributionTokens.ADD), ws);
        String manage = tokenWithScopes(List.of(DistributionTokens.MANAGE), ws);
        String none = tokenWithScopes(List.of(), ws);
        record Case(String method, String path, String body, String scope) {
        }
        List<Case> cases = List.of(
                new Case("GET", distributions(ws), null, DistributionTokens.INFO),
                new Case("POST", distributions(ws), "{\"name\":\"n\",\"scope\":\"WORKSPACE\"}", DistributionTokens.ADD),
                new Case("GET", d, null, DistributionTokens.INFO),
                new Case("GET", d + "/resolve?host=asdf.buddy.works&path=/asd", null, DistributionTokens.INFO),
                new Case("PATCH", d, "{\"name\":\"x\"}", DistributionTokens.MANAGE),
                new Case("GET", d + "/routes", null, DistributionTokens.INFO),
                new Case("POST", d + "/routes", SEED_ROUTE_EXTERNAL, DistributionTokens.ADD),
                new Case("GET", r, null, DistributionTokens.INFO),
                new Case("PATCH", r, "{\"type\":\"REDIRECT\"}", DistributionTokens.MANAGE),
                new Case("DELETE", r, null, DistributionTokens.MANAGE),
                new Case("DELETE", d, null, DistributionTokens.MANAGE));
        for (Case c : cases) {
            for (String token : List.of(info, add, manage, none)) {
                boolean allowed = token.equals(Map.of(DistributionTokens.INFO, info, DistributionTokens.ADD, add,
                        DistributionTokens.MANAGE, manage).get(c.scope()));
                if (!allowed) {
                    APIGatewayProxyResponseEvent refused = call(c.method(), c.path(), token, c.body());
                    assertEquals(List.of("Token lacks the " + c.scope() + " scope"), errors(refused, 403), c.toString());
                    assertEquals("Bearer realm=\"distributions\", error=\"insufficient_scope\", scope=\"" + c.scope() + "\"",
                            header(refused, "WWW-Authenticate"));
                }
            }
            APIGatewayProxyResponseEvent done = call(c.method(), c.path(), Map.of(DistributionTokens.INFO, info,
                    DistributionTokens.ADD, add, DistributionTokens.MANAGE, manage).get(c.scope()), c.body());
            int expected = c.method().equals("POST") ? 201 : c.method().equals("DELETE") ? 204 : 200;
            assertEquals(expected, done.getStatusCode(), c + ": " + done.getBody());
        }
    }

    @Test
    void anotherWorkspaceIsNotFoundEvenWithoutScopes() {
        String mine = workspace();
        String theirs = workspace();
        String theirToken = token(theirs);
        String id = (String) createDistribution(theirs, theirToken, SEED_WORKSPACE).get("id");
        String routeId = (String) createRoute(theirs, theirToken, id, SEED_ROUTE_GEO).get("id");
        for (String token : List.of(token(mine), tokenWithScopes(List.of(), mine))) {
            String d = distributions(theirs) + "/" + id;
            String r = d + "/routes/" + routeId;
            for (String[] c : new String[][]{{"GET", distributions(theirs), null}, {"POST", distributions(theirs), SEED_WORKSPACE},
                    {"GET", d, null}, {"PATCH", d, "{\"name\":\"x\"}"}, {"DELETE", d, null}, {"GET", d + "/resolve?host=asdf.buddy.works", null},
                    {"GET", d + "/routes", null}, {"POST", d + "/routes", SEED_ROUTE_EXTERNAL}, {"GET", r, null},
                    {"PATCH", r, "{\"type\":\"REDIRECT\"}"}, {"DELETE", r, null}}) {
                assertEquals(List.of("Workspace not found"), errors(call(c[0], c[1], token, c[2]), 404), c[0] + " " + c[1]);
            }
        }
        // their distribution's id under my workspace: not found either
        String myToken = token(mine);
        String underMine = distributions(mine) + "/" + id;
        assertEquals(List.of("Distribution not found"), errors(call("GET", underMine, myToken, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("PATCH", underMine, myToken, "{\"name\":\"x\"}"), 404));
        assertEquals(List.of("Distribution not found"), errors(call("DELETE", underMine, myToken, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("GET", underMine + "/routes", myToken, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("POST", underMine + "/routes", myToken, SEED_ROUTE_EXTERNAL), 404));
        assertEquals(List.of("Distribution not found"), errors(call("GET", underMine + "/routes/" + routeId, myToken, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("GET", underMine + "/resolve?host=asdf.buddy.works", myToken, null), 404));
        // nothing of theirs changed
        APIGatewayProxyResponseEvent still = call("GET", distributions(theirs) + "/" + id, theirToken, null);
        assertEquals("My Distribution", body(still).get("name"));
        assertEquals(1, ((List<?>) body(still).get("routes")).size());
        // a token for both sees both
        assertEquals(200, call("GET", distributions(theirs) + "/" + id, token(mine, theirs), null).getStatusCode());
    }

    @Test
    void workspaceNamesThatCannotExistAre404() {
        for (String ws : List.of("-bad", "bad-", "a..b%23c")) {
            assertEquals(List.of("Workspace not found"), errors(call("GET", "/workspaces/" + ws + "/distributions", token(ws), null), 404));
        }
    }
}
