package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes through the Lambda handler: the seed's three, every field rule, host conflicts, update, delete, lists. */
class RoutesApiTest extends DistributionsTestSupport {
    static final String REGION_RULE = " is not a region: use Default, COUNTRY-<ISO 3166-1 alpha-2 code, e.g. PL> or "
            + "CONTINENT-<Africa|Antarctica|Asia|Europe|NorthAmerica|Oceania|SouthAmerica>";
    static final String PATH_RULE = "path must be URL path segments separated by '/', without spaces, '?', '#' or empty "
            + "segments, at most 1024 characters";
    static final String URL_RULE = "targets.Default.external_url must be a host name such as kordos.com or an http(s) URL";
    static final String DEFAULT_TARGET = "\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}";

    @Test
    @SuppressWarnings("unchecked")
    void theSeedsRoutesAreCreatedListedAndRead() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        String base = distributions(ws) + "/" + id + "/routes";
        Map<String, Object> external = createRoute(ws, token, id, SEED_ROUTE_EXTERNAL);
        Map<String, Object> tunnel = createRoute(ws, token, id, SEED_ROUTE_TUNNEL);
        Map<String, Object> geo = createRoute(ws, token, id, SEED_ROUTE_GEO);
        String rid = (String) external.get("id");
        assertTrue(rid.matches("[A-Za-z0-9]{8}"), rid);
        assertEquals(List.of("url", "html_url", "id", "type", "subdomain", "domain", "path", "targets"), List.copyOf(external.keySet()));
        assertEquals("https://api.buddy.works/workspaces/" + ws + "/distributions/" + id + "/routes/" + rid, external.get("url"));
        assertEquals("https://app.buddy.works/" + ws + "/-/routing/" + id + "/route/" + rid, external.get("html_url"));
        assertEquals("PROXY", external.get("type"));
        assertEquals("testing3", external.get("subdomain"));
        assertEquals("buddy.works", external.get("domain"));
        assertEquals("", external.get("path"));
        assertEquals(Map.of("Default", Map.of("type", "EXTERNAL", "external_url", "kordos.com")), external.get("targets"));
        assertEquals(Map.of("Default", Map.of("type", "TUNNEL", "tunnel", Map.of("id", "bartshoot", "tunnel_id", "test"))), tunnel.get("targets"));
        assertEquals("asd", geo.get("path"));

        APIGatewayProxyResponseEvent list = call("GET", base, token, null);
        assertEquals(200, list.getStatusCode(), list.getBody());
        Map<String, Object> listed = body(list);
        assertEquals(List.of("url", "html_url", "routes"), List.copyOf(listed.keySet()));
        assertEquals("https://api.buddy.works/workspaces/" + ws + "/distributions/" + id + "/routes", listed.get("url"));
        assertEquals("https://app.buddy.works/" + ws + "/-/routing/" + id + "/routes", listed.get("html_url"));
        assertEquals(List.of(external, tunnel, geo), listed.get("routes"));
        assertEquals(List.of(tunnel), body(call("GET", base + "?page=2&per_page=1", token, null)).get("routes"));
        assertEquals(List.of(), body(call("GET", base + "?page=4&per_page=1", token, null)).get("routes"));
        assertEquals(List.of("per_page must be a whole number from 1 to 100"), errors(call("GET", base + "?per_page=500", token, null), 400));
        assertEquals(List.of("page must be at most 1001 with per_page 1 (a page may start at most 1000 items into a list)"),
                errors(call("GET", base + "?page=1002&per_page=1", token, null), 400));
        assertEquals(List.of(external, tunnel, geo), body(call("GET", distributions(ws) + "/" + id, token, null)).get("routes"));

        APIGatewayProxyResponseEvent got = call("GET", base + "/" + geo.get("id"), token, null);
        assertEquals(200, got.getStatusCode());
        assertEquals(geo, body(got));
        assertEquals(List.of("Route not found"), errors(call("GET", base + "/abcdefgh", token, null), 404));
        assertEquals(List.of("Route not found"), errors(call("GET", base + "/bad", token, null), 404));
        // a route is found only under its own distribution
        String other = (String) createDistribution(ws, token, "{\"name\":\"o\",\"scope\":\"WORKSPACE\"}").get("id");
        assertEquals(List.of("Route not found"), errors(call("GET", distributions(ws) + "/" + other + "/routes/" + rid, token, null), 404));
        assertEquals(List.of("Route not found"), errors(call("PATCH", distributions(ws) + "/" + other + "/routes/" + rid, token, "{}"), 404));
        assertEquals(List.of("Route not found"), errors(call("DELETE", distributions(ws) + "/" + other + "/routes/" + rid, token, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("POST", distributions(ws) + "/abcdefgh/routes", token, SEED_ROUTE_EXTERNAL), 404));
        assertEquals(List.of("Distribution not found"), errors(call("GET", distributions(ws) + "/abcdefgh/routes", token, null), 404));
    }

    @Test
    void optionalFieldsDefaultAndPathsAreStoredWithoutOuterSlashes() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        Map<String, Object> bare = createRoute(ws, token, id, "{\"type\":\"REDIRECT\",\"domain\":\"example.org\"," + DEFAULT_TARGET + "}");
        assertEquals("", bare.get("subdomain"));
        assertEquals("", bare.get("path"));
        Map<String, Object> slashes = createRoute(ws, token, id, "{\"type\":\"CLOAKING\",\"domain\":\"example.org\",\"path\":\"/a/b/\","
                + "\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"https://example.com:8443/x?y=z\"},"
                + "\"COUNTRY-US\":{\"type\":\"EXTERNAL\",\"external_url\":\"http://10.0.0.1\"},"
                + "\"CONTINENT-Antarctica\":{\"type\":\"EXTERNAL\",\"external_url\":\"192.0.2.7\"}}}");
        assertEquals("a/b", slashes.get("path"));
        Map<String, Object> nested = createRoute(ws, token, id,
                "{\"type\":\"PROXY_NO_CACHE\",\"subdomain\":\"eu.static\",\"domain\":\"example.org\",\"path\":null," + DEFAULT_TARGET + "}");
        assertEquals("eu.static", nested.get("subdomain"));
        assertEquals("", nested.get("path"));
    }

    static Stream<Arguments> invalidRoutes() {
        String ok = "\"type\":\"PROXY\",\"domain\":\"buddy.works\"";
        return Stream.of(
                Arguments.of("{}", List.of("type is required", "domain is required", "targets is required")),
                Arguments.of("{\"type\":\"proxy\",\"domain\":\"buddy.works\"," + DEFAULT_TARGET + "}",
                        List.of("type must be one of PROXY, REDIRECT, CLOAKING, PROXY_NO_CACHE")),
                Arguments.of("{\"type\":\"PROXY\",\"domain\":\"localhost\"," + DEFAULT_TARGET + "}", List.of("domain must be a host name such as buddy.works")),
                Arguments.of("{\"type\":\"PROXY\",\"domain\":\"buddy..works\"," + DEFAULT_TARGET + "}", List.of("domain must be a host name such as buddy.works")),
                Arguments.of("{\"type\":\"PROXY\",\"domain\":\"-a.com\"," + DEFAULT_TARGET + "}", List.of("domain must be a host name such as buddy.works")),
                Arguments.of("{\"type\":\"PROXY\",\"domain\":\"10.0.0.1\"," + DEFAULT_TARGET + "}", List.of("domain must be a host name such as buddy.works")),
                Arguments.of("{\"type\":\"PROXY\",\"domain\":5," + DEFAULT_TARGET + "}", List.of("domain must be a host name such as buddy.works")),
                Arguments.of("{" + ok + ",\"subdomain\":\"bad_label\"," + DEFAULT_TARGET + "}",
                        List.of("subdomain must be empty or DNS labels separated by dots, such as www or eu.static")),
                Arguments.of("{" + ok + ",\"subdomain\":\"a.\"," + DEFAULT_TARGET + "}",
                        List.of("subdomain must be empty or DNS labels separated by dots, such as www or eu.static")),
                Arguments.of("{" + ok + ",\"subdomain\":1," + DEFAULT_TARGET + "}",
                        List.of("subdomain must be empty or DNS labels separated by dots, such as www or eu.static")),
                Arguments.of("{" + ok + ",\"subdomain\":\"" + "a.".repeat(125) + "a\"," + DEFAULT_TARGET + "}",
                        List.of("subdomain and domain together must be at most 253 characters")),
                Arguments.of("{" + ok + ",\"path\":\"a b\"," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"path\":\"a//b\"," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"path\":\"a?b\"," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"path\":\"a#b\"," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"path\":\"" + "p".repeat(1025) + "\"," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"path\":5," + DEFAULT_TARGET + "}", List.of(PATH_RULE)),
                Arguments.of("{" + ok + ",\"targets\":[]}", List.of("targets must be an object")),
                Arguments.of("{" + ok + ",\"targets\":{}}", List.of("targets.Default is required")),
                Arguments.of("{" + ok + ",\"targets\":{\"COUNTRY-PL\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}}",
                        List.of("targets.Default is required")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"},"
                        + "\"COUNTRY-XX\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"},\"COUNTRY-pl\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"},"
                        + "\"CONTINENT-Atlantis\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"},\"EU\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"},"
                        + "\"default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}}",
                        List.of("targets.COUNTRY-XX" + REGION_RULE, "targets.COUNTRY-pl" + REGION_RULE,
                                "targets.CONTINENT-Atlantis" + REGION_RULE, "targets.EU" + REGION_RULE, "targets.default" + REGION_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":\"a.com\"}}", List.of("targets.Default must be an object")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"FOO\"}}}", List.of("targets.Default.type must be EXTERNAL or TUNNEL")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"external_url\":\"a.com\"}}}", List.of("targets.Default.type must be EXTERNAL or TUNNEL")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\"}}}",
                        List.of("targets.Default.external_url is required for type EXTERNAL")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"ftp://a.com\"}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"not a url\"}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"http://user@a.com\"}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"https://a.com:70000\"}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"kordos\"}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":7}}}", List.of(URL_RULE)),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\",\"tunnel\":{}}}}",
                        List.of("targets.Default.tunnel is not a known field")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"TUNNEL\"}}}",
                        List.of("targets.Default.tunnel is required for type TUNNEL: an object with id and tunnel_id")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"TUNNEL\",\"tunnel\":{\"id\":\"a\"}}}}",
                        List.of("targets.Default.tunnel.tunnel_id is required")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"TUNNEL\",\"tunnel\":{\"id\":\"a b\",\"tunnel_id\":\"t\",\"x\":1}}}}",
                        List.of("targets.Default.tunnel.x is not a known field",
                                "targets.Default.tunnel.id must be letters, digits, '.', '_' or '-' (at most 100 characters)")),
                Arguments.of("{" + ok + ",\"targets\":{\"Default\":{\"type\":\"TUNNEL\",\"tunnel\":{\"id\":\"a\",\"tunnel_id\":\"t\"},"
                        + "\"external_url\":\"a.com\"}}}", List.of("targets.Default.external_url is not a known field")),
                Arguments.of("{" + ok + ",\"foo\":1," + DEFAULT_TARGET + "}", List.of("foo is not a known field")),
                Arguments.of("\"x\"", List.of("Request body must be a JSON object")));
    }

    @ParameterizedTest
    @MethodSource("invalidRoutes")
    void invalidRoutesAreRefusedFieldByField(String body, List<String> messages) {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        assertEquals(messages, errors(call("POST", distributions(ws) + "/" + id + "/routes", token, body), 400));
        assertEquals(List.of(), body(call("GET", distributions(ws) + "/" + id + "/routes", token, null)).get("routes"));
    }

    @Test
    void aHostAndPathBelongToOneRouteOfAWorkspace() {
        String ws = workspace();
        String token = token(ws);
        String first = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        String second = (String) createDistribution(ws, token, SEED_PROJECT).get("id");
        createRoute(ws, token, first, SEED_ROUTE_GEO);
        String routes = distributions(ws) + "/" + second + "/routes";
        List<String> messages = errors(call("POST", routes, token, SEED_ROUTE_GEO), 409);
        assertEquals(List.of("Another route of this workspace already serves host asdf.buddy.works and path asd"), messages);
        // the same host and path written differently
        errors(call("POST", routes, token, SEED_ROUTE_GEO.replace("\"asdf\"", "\"ASDF\"").replace("\"asd\"", "\"/asd/\"")), 409);
        errors(call("POST", distributions(ws) + "/" + first + "/routes", token, SEED_ROUTE_GEO), 409);
        createRoute(ws, token, first, "{\"type\":\"PROXY\",\"subdomain\":\"a.b\",\"domain\":\"c.com\"," + DEFAULT_TARGET + "}");
        assertEquals(List.of("Another route of this workspace already serves host a.b.c.com with an empty path"), errors(call("POST", routes, token,
                "{\"type\":\"PROXY\",\"subdomain\":\"a\",\"domain\":\"b.c.com\"," + DEFAULT_TARGET + "}"), 409));
        // another path, another host, another workspace: no conflict
        createRoute(ws, token, second, SEED_ROUTE_GEO.replace("\"asd\"", "\"asd/x\""));
        createRoute(ws, token, second, SEED_ROUTE_GEO.replace("\"asdf\"", "\"qwer\""));
        String other = workspace();
        String otherId = (String) createDistribution(other, token(other), SEED_WORKSPACE).get("id");
        createRoute(other, token(other), otherId, SEED_ROUTE_GEO);
    }

    @Test
    @SuppressWarnings("unchecked")
    void updateReplacesGivenFieldsAndMovesTheHostClaim() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        Map<String, Object> geo = createRoute(ws, token, id, SEED_ROUTE_GEO);
        Map<String, Object> external = createRoute(ws, token, id, SEED_ROUTE_EXTERNAL);
        String path = distributions(ws) + "/" + id + "/routes/" + geo.get("id");

        Map<String, Object> redirected = patch(path, token, "{\"type\":\"REDIRECT\"}");
        assertEquals("REDIRECT", redirected.get("type"));
        assertEquals(geo.get("targets"), redirected.get("targets"));
        Map<String, Object> retargeted = patch(path, token, "{\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"new.com\"}}}");
        assertEquals(Map.of("Default", Map.of("type", "EXTERNAL", "external_url", "new.com")), retargeted.get("targets"));
        assertEquals(List.of("targets.Default is required"), errors(call("PATCH", path, token, "{\"targets\":{}}"), 400));
        assertEquals(List.of("domain must be a host name such as buddy.works"), errors(call("PATCH", path, token, "{\"domain\":null}"), 400));
        assertEquals(List.of("id is not a known field"), errors(call("PATCH", path, token, "{\"id\":\"x\"}"), 400));

        // onto the external route's host and path: conflict, nothing changes
        assertEquals(List.of("Another route of this workspace already serves host testing3.buddy.works with an empty path"),
                errors(call("PATCH", path, token, "{\"subdomain\":\"testing3\",\"path\":\"\",\"type\":\"PROXY\"}"), 409));
        assertEquals(retargeted, body(call("GET", path, token, null)));
        // moved: the old host and path are free, the new ones are taken
        Map<String, Object> moved = patch(path, token, "{\"subdomain\":\"\",\"domain\":\"example.org\",\"path\":\"/shop/\"}");
        assertEquals("", moved.get("subdomain"));
        assertEquals("shop", moved.get("path"));
        createRoute(ws, token, id, SEED_ROUTE_GEO);
        errors(call("POST", distributions(ws) + "/" + id + "/routes", token,
                "{\"type\":\"PROXY\",\"domain\":\"EXAMPLE.org\",\"path\":\"shop\"," + DEFAULT_TARGET + "}"), 409);
        // the distribution shows the update, order unchanged
        List<Map<String, Object>> routes = (List<Map<String, Object>>) body(call("GET", distributions(ws) + "/" + id, token, null)).get("routes");
        assertEquals(List.of(geo.get("id"), external.get("id")), routes.subList(0, 2).stream().map(r -> r.get("id")).toList());
        assertEquals(moved, routes.get(0));
    }

    @Test
    void deleteFreesTheHostAndPath() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        String rid = (String) createRoute(ws, token, id, SEED_ROUTE_GEO).get("id");
        String path = distributions(ws) + "/" + id + "/routes/" + rid;
        assertEquals(204, call("DELETE", path, token, null).getStatusCode());
        assertEquals(List.of("Route not found"), errors(call("GET", path, token, null), 404));
        assertEquals(List.of("Route not found"), errors(call("DELETE", path, token, null), 404));
        assertEquals(List.of("Route not found"), errors(call("PATCH", path, token, "{\"type\":\"PROXY\"}"), 404));
        createRoute(ws, token, id, SEED_ROUTE_GEO);
        // the distribution can still be deleted: its route count followed
        assertEquals(204, call("DELETE", distributions(ws) + "/" + id, token, null).getStatusCode());
    }

    @Test
    void deletingADistributionDeletesItsRoutesAndTheirClaims() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        String rid = (String) createRoute(ws, token, id, SEED_ROUTE_GEO).get("id");
        createRoute(ws, token, id, SEED_ROUTE_TUNNEL);
        assertEquals(204, call("DELETE", distributions(ws) + "/" + id, token, null).getStatusCode());
        assertEquals(List.of("Distribution not found"), errors(call("GET", distributions(ws) + "/" + id + "/routes/" + rid, token, null), 404));
        String again = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        createRoute(ws, token, again, SEED_ROUTE_GEO);
        createRoute(ws, token, again, SEED_ROUTE_TUNNEL);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDistributionWithMoreRoutesThanOneTransactionHoldsIsDeletedWhole() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        int count = 110; // 2 + 2 * 110 items: three transactions
        for (int i = 0; i < count; i++) {
            createRoute(ws, token, id, "{\"type\":\"PROXY\",\"subdomain\":\"r" + i + "\",\"domain\":\"bulk.example\"," + DEFAULT_TARGET + "}");
        }
        assertEquals(count, ((List<Object>) body(call("GET", distributions(ws) + "/" + id, token, null)).get("routes")).size());
        assertEquals(204, call("DELETE", distributions(ws) + "/" + id, token, null).getStatusCode());
        assertEquals(List.of("Distribution not found"), errors(call("GET", distributions(ws) + "/" + id, token, null), 404));
        String again = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        for (int i : new int[]{0, 48, 49, 97, 109}) {
            createRoute(ws, token, again, "{\"type\":\"PROXY\",\"subdomain\":\"r" + i + "\",\"domain\":\"bulk.example\"," + DEFAULT_TARGET + "}");
        }
    }

    private static Map<String, Object> patch(String path, String token, String body) {
        APIGatewayProxyResponseEvent r = call("PATCH", path, token, body);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return body(r);
    }
}
