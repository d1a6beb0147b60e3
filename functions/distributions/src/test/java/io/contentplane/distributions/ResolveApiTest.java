package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET .../resolve}: longest path prefix among the routes of the host, then country, its
 * continent, Default; a disabled distribution resolves nothing.
 */
class ResolveApiTest extends DistributionsTestSupport {
    static String ws;
    static String token;
    static String id;
    static Map<String, String> routeIds = new java.util.HashMap<>();

    @BeforeAll
    static void routes() {
        ws = workspace();
        token = token(ws);
        id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        routeIds.put("geo", (String) createRoute(ws, token, id, SEED_ROUTE_GEO).get("id"));
        routeIds.put("root", (String) createRoute(ws, token, id, """
                {"type":"PROXY","subdomain":"asdf","domain":"buddy.works",
                 "targets":{"Default":{"type":"EXTERNAL","external_url":"root.com"}}}""").get("id"));
        routeIds.put("deep", (String) createRoute(ws, token, id, """
                {"type":"REDIRECT","subdomain":"asdf","domain":"buddy.works","path":"asd/deep",
                 "targets":{"CONTINENT-Asia":{"type":"EXTERNAL","external_url":"asia.com"},
                            "Default":{"type":"TUNNEL","tunnel":{"id":"bartshoot","tunnel_id":"deep"}}}}""").get("id"));
        routeIds.put("apex", (String) createRoute(ws, token, id, """
                {"type":"PROXY","subdomain":"","domain":"buddy.works",
                 "targets":{"Default":{"type":"EXTERNAL","external_url":"https://apex.example/x"}}}""").get("id"));
    }

    static APIGatewayProxyResponseEvent resolve(String query) {
        return call("GET", distributions(ws) + "/" + id + "/resolve?" + query, token, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // query | route | region | target
            "host=asdf.buddy.works&path=/asd&country=PL | geo | COUNTRY-PL | testpl.com",
            "host=asdf.buddy.works&path=/asd&country=pl | geo | COUNTRY-PL | testpl.com",
            "host=asdf.buddy.works&path=/asd&country=DE | geo | CONTINENT-Europe | testeu.com",
            "host=asdf.buddy.works&path=/asd&country=US | geo | Default | test.com",
            "host=asdf.buddy.works&path=/asd&country=ZZ | geo | Default | test.com",
            "host=asdf.buddy.works&path=/asd | geo | Default | test.com",
            "host=asdf.buddy.works&path=/asd&country= | geo | Default | test.com",
            "host=asdf.buddy.works&path=asd/ | geo | Default | test.com",
            "host=asdf.buddy.works&path=/asd/page%3Fx%3D1&country=PL | geo | COUNTRY-PL | testpl.com",
            "host=asdf.buddy.works&path=/asd/deeper&country=PL | geo | COUNTRY-PL | testpl.com",
            "host=asdf.buddy.works&path=/asd/deep/x&country=PL | deep | Default | ",
            "host=asdf.buddy.works&path=/asd/deep&country=JP | deep | CONTINENT-Asia | asia.com",
            "host=asdf.buddy.works&path=/asdf&country=PL | root | Default | root.com",
            "host=asdf.buddy.works&path=/ | root | Default | root.com",
            "host=asdf.buddy.works | root | Default | root.com",
            "host=ASDF.Buddy.Works.:443&path=/asd&country=PL | geo | COUNTRY-PL | testpl.com",
            "host=buddy.works&path=/anything&country=AQ | apex | Default | https://apex.example/x",
    })
    void resolvesTheLongestPrefixThenTheMostSpecificRegion(String query, String route, String region, String target) {
        APIGatewayProxyResponseEvent r = resolve(query);
        assertEquals(200, r.getStatusCode(), r.getBody());
        Map<String, Object> body = body(r);
        assertEquals(List.of("route", "region", "target", "reason"), List.copyOf(body.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> routeView = (Map<String, Object>) body.get("route");
        assertEquals(routeIds.get(route), routeView.get("id"), r.getBody());
        assertEquals(region, body.get("region"), r.getBody());
        Object expectedTarget = target == null
                ? Map.of("type", "TUNNEL", "tunnel", Map.of("id", "bartshoot", "tunnel_id", "deep"))
                : Map.of("type", "EXTERNAL", "external_url", target);
        assertEquals(expectedTarget, body.get("target"));
        assertTrue(body.get("reason") instanceof String s && s.contains(routeIds.get(route)), r.getBody());
        // the route is shown as the routes endpoint shows it
        assertEquals(body(call("GET", distributions(ws) + "/" + id + "/routes/" + routeIds.get(route), token, null)), routeView);
    }

    @Test
    void reasonsSayWhyInWords() {
        assertTrue(((String) body(resolve("host=asdf.buddy.works&path=/asd&country=PL")).get("reason")).endsWith("country PL has its own target"));
        assertTrue(((String) body(resolve("host=asdf.buddy.works&path=/asd&country=DE")).get("reason"))
                .endsWith("no target for country DE, its continent Europe has one"));
        assertTrue(((String) body(resolve("host=asdf.buddy.works&path=/asd&country=US")).get("reason"))
                .endsWith("no target for country US or its continent NorthAmerica, so Default"));
        assertTrue(((String) body(resolve("host=asdf.buddy.works&path=/asd&country=ZZ")).get("reason"))
                .endsWith("ZZ is not an ISO 3166-1 country code, so Default"));
        assertTrue(((String) body(resolve("host=asdf.buddy.works&path=/asd")).get("reason")).endsWith("no country given, so Default"));
    }

    @Test
    void noMatchingRouteIs404() {
        assertEquals(List.of("No route of this distribution serves host nope.buddy.works and path /asd"),
                errors(resolve("host=nope.buddy.works&path=/asd"), 404));
        // routes of other distributions of the workspace do not count
        String other = (String) createDistribution(ws, token, "{\"name\":\"other\",\"scope\":\"WORKSPACE\"}").get("id");
        errors(call("GET", distributions(ws) + "/" + other + "/resolve?host=asdf.buddy.works&path=/asd", token, null), 404);
        assertEquals(List.of("Distribution not found"),
                errors(call("GET", distributions(ws) + "/abcdefgh/resolve?host=asdf.buddy.works", token, null), 404));
    }

    @Test
    void badParametersAre400() {
        assertEquals(List.of("host is required"), errors(resolve("path=/asd"), 400));
        assertEquals(List.of("host is required"), errors(resolve("host="), 400));
        assertEquals(List.of("host must be a host name such as testing3.buddy.works (a port is ignored)"), errors(resolve("host=bad%20host"), 400));
        assertEquals(List.of("host must be a host name such as testing3.buddy.works (a port is ignored)"), errors(resolve("host=a.com:http"), 400));
        assertEquals(List.of("country must be a two-letter ISO 3166-1 code such as PL"), errors(resolve("host=asdf.buddy.works&country=POL"), 400));
        assertEquals(List.of("country must be a two-letter ISO 3166-1 code such as PL"), errors(resolve("host=asdf.buddy.works&country=1A"), 400));
        assertEquals(List.of("host is required", "country must be a two-letter ISO 3166-1 code such as PL"), errors(resolve("country=P"), 400));
    }

    @Test
    void aDisabledDistributionResolvesNothing() {
        String path = distributions(ws) + "/" + id;
        try {
            assertEquals(200, call("PATCH", path, token, "{\"disabled\":true}").getStatusCode());
            assertEquals(List.of("Distribution is disabled"), errors(resolve("host=asdf.buddy.works&path=/asd&country=PL"), 409));
        } finally {
            assertEquals(200, call("PATCH", path, token, "{\"disabled\":false}").getStatusCode());
        }
        assertEquals(200, resolve("host=asdf.buddy.works&path=/asd&country=PL").getStatusCode());
    }
}
