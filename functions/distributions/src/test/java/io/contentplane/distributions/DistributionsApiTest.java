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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributions through the Lambda handler: the seed's three creations, every field rule, update, delete, lists. */
class DistributionsApiTest extends DistributionsTestSupport {
    static final String IDENTIFIER_RULE = "identifier may contain only letters, digits, '_' and '-', must not start or end "
            + "with '-' and has at most 100 characters";
    static final String LEVELS = "DENIED, READ_ONLY, RUN_ONLY, READ_WRITE, MANAGE, DEFAULT";

    @Test
    void theSeedsThreeCreationsAllSucceedInOneWorkspace() {
        String ws = workspace();
        String token = token(ws);
        Map<String, Object> workspaceScoped = createDistribution(ws, token, SEED_WORKSPACE);
        Map<String, Object> projectScoped = createDistribution(ws, token, SEED_PROJECT);
        Map<String, Object> environmentScoped = createDistribution(ws, token, SEED_ENVIRONMENT);

        assertEquals(List.of("url", "html_url", "id", "identifier", "name", "disabled", "scope", "routes", "permissions"),
                List.copyOf(workspaceScoped.keySet()));
        assertEquals(List.of("url", "html_url", "id", "identifier", "name", "disabled", "scope", "project", "routes", "permissions"),
                List.copyOf(projectScoped.keySet()));
        assertEquals(List.of("url", "html_url", "id", "identifier", "name", "disabled", "scope", "environment", "routes", "permissions"),
                List.copyOf(environmentScoped.keySet()));
        for (Map<String, Object> d : List.of(workspaceScoped, projectScoped, environmentScoped)) {
            String id = (String) d.get("id");
            assertTrue(id.matches("[A-Za-z0-9]{8}"), id);
            assertEquals("https://api.buddy.works/workspaces/" + ws + "/distributions/" + id, d.get("url"));
            assertEquals("https://app.buddy.works/" + ws + "/-/routing/" + id + "/routes", d.get("html_url"));
            assertEquals("my-distribution", d.get("identifier"));
            assertEquals("My Distribution", d.get("name"));
            assertEquals(false, d.get("disabled"));
            assertEquals(List.of(), d.get("routes"));
            assertEquals(Map.of("others", "DEFAULT", "users", List.of(), "groups", List.of()), d.get("permissions"));
        }
        assertEquals("WORKSPACE", workspaceScoped.get("scope"));
        assertEquals("PROJECT", projectScoped.get("scope"));
        assertEquals(Map.of("name", "my-project", "display_name", "my-project"), projectScoped.get("project"));
        assertEquals("ENVIRONMENT", environmentScoped.get("scope"));
        assertEquals(Map.of("id", "3a4KbBQl"), environmentScoped.get("environment"));
        assertEquals(3, Stream.of(workspaceScoped, projectScoped, environmentScoped).map(d -> d.get("id")).distinct().count());

        // unique within the owner: the same owner again is a conflict, another owner is not
        for (String seed : List.of(SEED_WORKSPACE, SEED_PROJECT, SEED_ENVIRONMENT)) {
            List<String> messages = errors(call("POST", distributions(ws), token, seed), 409);
            assertTrue(messages.get(0).contains("my-distribution"), messages.toString());
        }
        createDistribution(ws, token, SEED_PROJECT.replace("my-project", "other-project"));
        createDistribution(ws, token, SEED_ENVIRONMENT.replace("3a4KbBQl", "Zx81aaQ0"));
        String other = workspace();
        createDistribution(other, token(other), SEED_WORKSPACE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDistributionWithTheSeedsRoutesAnswersExactlyTheSeedsExampleResponse() {
        String ws = workspace();
        String token = token(ws);
        Map<String, Object> d = createDistribution(ws, token, """
                {"name": "test", "scope": "WORKSPACE", "identifier": "test",
                 "permissions": {"others": "READ_ONLY", "users": [{"id": 1, "access_level": "MANAGE"}]}}""");
        String id = (String) d.get("id");
        String r1 = (String) createRoute(ws, token, id, SEED_ROUTE_EXTERNAL).get("id");
        String r2 = (String) createRoute(ws, token, id, SEED_ROUTE_TUNNEL).get("id");
        String r3 = (String) createRoute(ws, token, id, SEED_ROUTE_GEO).get("id");
        APIGatewayProxyResponseEvent got = call("GET", distributions(ws) + "/" + id, token, null);
        assertEquals(200, got.getStatusCode(), got.getBody());
        String expected = SEED_RESPONSE.replace("my-workspace", ws).replace("rm1P93jG", id)
                .replace("1ObP9zw8", r1).replace("VXb2ZOb3", r2).replace("JqbOmp06", r3);
        Map<String, Object> want = parse(expected);
        Map<String, Object> have = body(got);
        assertEquals(want, have);
        assertEquals(List.copyOf(want.keySet()), List.copyOf(have.keySet()));
        List<Map<String, Object>> routes = (List<Map<String, Object>>) have.get("routes");
        assertEquals(List.of("url", "html_url", "id", "type", "subdomain", "domain", "path", "targets"), List.copyOf(routes.get(0).keySet()));
        // targets keep the client's order
        assertEquals(List.of("COUNTRY-PL", "CONTINENT-Europe", "Default"),
                List.copyOf(((Map<String, Object>) routes.get(2).get("targets")).keySet()));
    }

    @Test
    void identifiersLeftOutAreMadeFromTheName() {
        String ws = workspace();
        String token = token(ws);
        assertEquals("my-great-distribution", createDistribution(ws, token,
                "{\"name\":\"  My Great -- Distribution! \",\"scope\":\"WORKSPACE\"}").get("identifier"));
        String second = (String) createDistribution(ws, token, "{\"name\":\"My Great Distribution\",\"scope\":\"WORKSPACE\"}").get("identifier");
        assertTrue(second.matches("my-great-distribution-[a-z0-9]{6}"), second);
        assertEquals("uber-cafe_2", createDistribution(ws, token, "{\"name\":\"Über Café_2\",\"scope\":\"WORKSPACE\",\"identifier\":null}").get("identifier"));
        String random = (String) createDistribution(ws, token, "{\"name\":\"!!!\",\"scope\":\"WORKSPACE\"}").get("identifier");
        assertTrue(random.matches("[a-z0-9]{8}"), random);
        String longName = "x".repeat(99) + " y";
        assertEquals("x".repeat(99), createDistribution(ws, token, "{\"name\":\"" + longName + "\",\"scope\":\"PROJECT\",\"project_name\":\"p\"}").get("identifier"));
        // an identifier that is given is never changed: a taken one is a conflict
        errors(call("POST", distributions(ws), token, "{\"name\":\"n\",\"scope\":\"WORKSPACE\",\"identifier\":\"my-great-distribution\"}"), 409);
    }

    static Stream<Arguments> invalidCreations() {
        String ok = "\"name\":\"n\",\"scope\":\"WORKSPACE\"";
        return Stream.of(
                Arguments.of("{}", List.of("name is required", "scope is required")),
                Arguments.of("{\"name\":\"x\"}", List.of("scope is required")),
                Arguments.of("{\"scope\":\"WORKSPACE\",\"name\":null}", List.of("name is required")),
                Arguments.of("{\"name\":\"  \",\"scope\":\"WORKSPACE\"}", List.of("name must be a non-empty string")),
                Arguments.of("{\"name\":5,\"scope\":\"WORKSPACE\"}", List.of("name must be a non-empty string")),
                Arguments.of("{\"name\":\"" + "n".repeat(256) + "\",\"scope\":\"WORKSPACE\"}", List.of("name must be at most 255 characters")),
                Arguments.of("{\"name\":\"n\",\"scope\":\"workspace\"}", List.of("scope must be one of WORKSPACE, PROJECT, ENVIRONMENT")),
                Arguments.of("{\"name\":\"n\",\"scope\":1}", List.of("scope must be one of WORKSPACE, PROJECT, ENVIRONMENT")),
                Arguments.of("{" + ok + ",\"identifier\":\"-abc\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":\"abc-\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":\"a b\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":\"a.b\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":\"\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":7}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{" + ok + ",\"identifier\":\"" + "a".repeat(101) + "\"}", List.of(IDENTIFIER_RULE)),
                Arguments.of("{\"name\":\"n\",\"scope\":\"PROJECT\"}", List.of("project_name is required for scope PROJECT")),
                Arguments.of("{\"name\":\"n\",\"scope\":\"ENVIRONMENT\"}", List.of("environment_id is required for scope ENVIRONMENT")),
                Arguments.of("{" + ok + ",\"project_name\":\"p\"}", List.of("project_name is only used with scope PROJECT")),
                Arguments.of("{\"name\":\"n\",\"scope\":\"PROJECT\",\"project_name\":\"p\",\"environment_id\":\"e\"}",
                        List.of("environment_id is only used with scope ENVIRONMENT")),
                Arguments.of("{\"name\":\"n\",\"scope\":\"PROJECT\",\"project_name\":\"my project\"}", List.of("project_name may contain only "
                        + "letters, digits, '.', '_' and '-' (at most 100 characters, not starting or ending with '.', '_' or '-')")),
                Arguments.of("{\"name\":\"n\",\"scope\":\"ENVIRONMENT\",\"environment_id\":\"a#b\"}", List.of("environment_id may contain only "
                        + "letters, digits, '.', '_' and '-' (at most 100 characters, not starting or ending with '.', '_' or '-')")),
                Arguments.of("{" + ok + ",\"foo\":1}", List.of("foo is not a known field")),
                Arguments.of("{" + ok + ",\"disabled\":true}", List.of("disabled is not a known field")),
                Arguments.of("{" + ok + ",\"permissions\":\"x\"}", List.of("permissions must be an object")),
                Arguments.of("{" + ok + ",\"permissions\":{\"others\":\"ALL\"}}", List.of("permissions.others must be one of " + LEVELS)),
                Arguments.of("{" + ok + ",\"permissions\":{\"foo\":1}}", List.of("permissions.foo is not a known field")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":{}}}", List.of("permissions.users must be an array")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":0,\"access_level\":\"MANAGE\"}]}}",
                        List.of("permissions.users[0].id must be a positive integer")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":1.5,\"access_level\":\"MANAGE\"}]}}",
                        List.of("permissions.users[0].id must be a positive integer")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":\"1\",\"access_level\":\"MANAGE\"}]}}",
                        List.of("permissions.users[0].id must be a positive integer")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":1}]}}",
                        List.of("permissions.users[0].access_level must be one of " + LEVELS)),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":1,\"access_level\":\"MANAGE\",\"x\":1}]}}",
                        List.of("permissions.users[0].x is not a known field")),
                Arguments.of("{" + ok + ",\"permissions\":{\"users\":[{\"id\":1,\"access_level\":\"MANAGE\"},{\"id\":1,\"access_level\":\"DENIED\"}]}}",
                        List.of("permissions.users[1].id repeats user 1")),
                Arguments.of("{" + ok + ",\"permissions\":{\"groups\":[\"a\"]}}",
                        List.of("permissions.groups[0] must be an object")),
                Arguments.of("{\"name\":\"\",\"scope\":\"X\",\"identifier\":\"-\",\"x\":1}", List.of("x is not a known field",
                        "name must be a non-empty string", "scope must be one of WORKSPACE, PROJECT, ENVIRONMENT", IDENTIFIER_RULE)),
                Arguments.of("[]", List.of("Request body must be a JSON object")),
                Arguments.of("{\"name\":", List.of("Request body is not valid JSON")));
    }

    @ParameterizedTest
    @MethodSource("invalidCreations")
    void invalidCreationsAreRefusedFieldByField(String body, List<String> messages) {
        String ws = workspace();
        assertEquals(messages, errors(call("POST", distributions(ws), token(ws), body), 400));
        assertEquals(List.of(), body(call("GET", distributions(ws), token(ws), null)).get("distributions"));
    }

    @Test
    void validPermissionsAreEchoedAsGiven() {
        String ws = workspace();
        Map<String, Object> d = createDistribution(ws, token(ws), """
                {"name":"n","scope":"WORKSPACE","permissions":{"groups":[{"id":7,"access_level":"RUN_ONLY"},{"id":3,"access_level":"DENIED"}],
                 "users":[{"id":2,"access_level":"READ_WRITE"}]}}""");
        assertEquals(Map.of("groups", List.of(Map.of("id", 7, "access_level", "RUN_ONLY"), Map.of("id", 3, "access_level", "DENIED")),
                "users", List.of(Map.of("id", 2, "access_level", "READ_WRITE"))), d.get("permissions"));
    }

    @Test
    void oversizedBodiesAre413() {
        String ws = workspace();
        String body = "{\"name\":\"" + "n".repeat(70_000) + "\",\"scope\":\"WORKSPACE\"}";
        assertEquals(List.of("Request body exceeds 65536 bytes"), errors(call("POST", distributions(ws), token(ws), body), 413));
    }

    @Test
    @SuppressWarnings("unchecked")
    void getUpdateAndDelete() {
        String ws = workspace();
        String token = token(ws);
        Map<String, Object> d = createDistribution(ws, token, SEED_WORKSPACE);
        String path = distributions(ws) + "/" + d.get("id");
        APIGatewayProxyResponseEvent got = call("GET", path, token, null);
        assertEquals(200, got.getStatusCode());
        assertEquals(d, body(got));

        Map<String, Object> renamed = patch(path, token, "{\"name\":\"Renamed\"}");
        assertEquals("Renamed", renamed.get("name"));
        assertEquals("my-distribution", renamed.get("identifier"));
        assertEquals(true, patch(path, token, "{\"disabled\":true}").get("disabled"));
        assertEquals(true, body(call("GET", path, token, null)).get("disabled"));
        assertEquals(false, patch(path, token, "{\"disabled\":false}").get("disabled"));
        assertEquals(List.of("disabled must be true or false"), errors(call("PATCH", path, token, "{\"disabled\":\"yes\"}"), 400));
        assertEquals(List.of("identifier is required"), errors(call("PATCH", path, token, "{\"identifier\":null}"), 400));
        assertEquals(List.of("id is not a known field"), errors(call("PATCH", path, token, "{\"id\":\"x\"}"), 400));
        assertEquals(renamed.get("name"), patch(path, token, null).get("name"));

        // identifier: moving onto a taken one is a conflict and changes nothing; the old one is freed by a move
        createDistribution(ws, token, "{\"name\":\"o\",\"scope\":\"WORKSPACE\",\"identifier\":\"taken\"}");
        assertTrue(errors(call("PATCH", path, token, "{\"identifier\":\"taken\",\"name\":\"Lost\"}"), 409).get(0).contains("taken"));
        assertEquals("Renamed", body(call("GET", path, token, null)).get("name"));
        assertEquals("moved", patch(path, token, "{\"identifier\":\"moved\"}").get("identifier"));
        createDistribution(ws, token, SEED_WORKSPACE);
        errors(call("POST", distributions(ws), token, "{\"name\":\"o\",\"scope\":\"WORKSPACE\",\"identifier\":\"moved\"}"), 409);

        // scope changes: the owner comes along, the claim moves with it
        assertEquals(List.of("project_name is required for scope PROJECT"), errors(call("PATCH", path, token, "{\"scope\":\"PROJECT\"}"), 400));
        assertEquals(List.of("project_name is only used with scope PROJECT"), errors(call("PATCH", path, token, "{\"project_name\":\"p\"}"), 400));
        Map<String, Object> project = patch(path, token, "{\"scope\":\"PROJECT\",\"project_name\":\"shop\",\"identifier\":\"taken\"}");
        assertEquals("PROJECT", project.get("scope"));
        assertEquals(Map.of("name", "shop", "display_name", "shop"), project.get("project"));
        assertFalse(project.containsKey("environment"));
        // the workspace-scoped "moved" is free again, and the project keeps its name across unrelated changes
        createDistribution(ws, token, "{\"name\":\"o\",\"scope\":\"WORKSPACE\",\"identifier\":\"moved\"}");
        assertEquals(Map.of("name", "shop", "display_name", "shop"), patch(path, token, "{\"name\":\"Shop\"}").get("project"));
        assertEquals(List.of("project_name is required for scope PROJECT"), errors(call("PATCH", path, token, "{\"project_name\":null}"), 400));
        // back to WORKSPACE with a taken identifier: conflict
        errors(call("PATCH", path, token, "{\"scope\":\"WORKSPACE\"}"), 409);
        Map<String, Object> environment = patch(path, token, "{\"scope\":\"ENVIRONMENT\",\"environment_id\":\"env1\"}");
        assertEquals(Map.of("id", "env1"), environment.get("environment"));
        assertFalse(environment.containsKey("project"));

        Map<String, Object> permissions = patch(path, token, "{\"permissions\":{\"others\":\"MANAGE\"}}");
        assertEquals(Map.of("others", "MANAGE"), permissions.get("permissions"));
        assertEquals(Map.of("others", "DEFAULT", "users", List.of(), "groups", List.of()),
                patch(path, token, "{\"permissions\":null}").get("permissions"));

        assertEquals(204, call("DELETE", path, token, null).getStatusCode());
        assertEquals(List.of("Distribution not found"), errors(call("GET", path, token, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("DELETE", path, token, null), 404));
        assertEquals(List.of("Distribution not found"), errors(call("PATCH", path, token, "{\"name\":\"x\"}"), 404));
        // its identifier ("taken" in environment env1) is free again
        createDistribution(ws, token, "{\"name\":\"n\",\"scope\":\"ENVIRONMENT\",\"environment_id\":\"env1\",\"identifier\":\"taken\"}");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body(call("GET", distributions(ws), token, null)).get("distributions");
        assertFalse(listed.stream().anyMatch(x -> x.get("id").equals(d.get("id"))));
    }

    @Test
    void malformedAndUnknownIdsAre404() {
        String ws = workspace();
        String token = token(ws);
        for (String id : List.of("abc", "abcdefgh", "abcdefg!", "abcdefghi")) {
            assertEquals(List.of("Distribution not found"), errors(call("GET", distributions(ws) + "/" + id, token, null), 404));
            assertEquals(List.of("Distribution not found"), errors(call("PATCH", distributions(ws) + "/" + id, token, "{}"), 404));
            assertEquals(List.of("Distribution not found"), errors(call("DELETE", distributions(ws) + "/" + id, token, null), 404));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsArePagedInCreationOrder() {
        String ws = workspace();
        String token = token(ws);
        Map<String, Object> empty = body(call("GET", distributions(ws), token, null));
        assertEquals(Map.of("url", "https://api.buddy.works/workspaces/" + ws + "/distributions",
                "html_url", "https://app.buddy.works/" + ws + "/-/routing", "distributions", List.of()), empty);
        for (int i = 1; i <= 5; i++) {
            createDistribution(ws, token, "{\"name\":\"D" + i + "\",\"scope\":\"WORKSPACE\"}");
        }
        List<Map<String, Object>> all = (List<Map<String, Object>>) body(call("GET", distributions(ws), token, null)).get("distributions");
        assertEquals(List.of("d1", "d2", "d3", "d4", "d5"), all.stream().map(d -> d.get("identifier")).toList());
        assertEquals(List.of("url", "html_url", "id", "identifier", "name", "disabled"), List.copyOf(all.get(0).keySet()));
        assertEquals(List.of("d1", "d2"), identifiers(call("GET", distributions(ws) + "?per_page=2", token, null)));
        assertEquals(List.of("d3", "d4"), identifiers(call("GET", distributions(ws) + "?page=2&per_page=2", token, null)));
        assertEquals(List.of("d5"), identifiers(call("GET", distributions(ws) + "?page=3&per_page=2", token, null)));
        assertEquals(List.of(), identifiers(call("GET", distributions(ws) + "?page=4&per_page=2", token, null)));
        assertEquals(5, identifiers(call("GET", distributions(ws) + "?per_page=100", token, null)).size());
        String perPageRule = "per_page must be a whole number from 1 to 100";
        String pageRule = "page must be a whole number of at least 1";
        assertEquals(List.of(perPageRule), errors(call("GET", distributions(ws) + "?per_page=0", token, null), 400));
        assertEquals(List.of(perPageRule), errors(call("GET", distributions(ws) + "?per_page=101", token, null), 400));
        assertEquals(List.of(pageRule), errors(call("GET", distributions(ws) + "?page=0", token, null), 400));
        assertEquals(List.of(pageRule), errors(call("GET", distributions(ws) + "?page=two", token, null), 400));
        assertEquals(List.of(pageRule, perPageRule), errors(call("GET", distributions(ws) + "?page=-1&per_page=x", token, null), 400));
        // a page starting more than 1000 items in is refused, not read (README: Lists)
        assertEquals(List.of("page must be at most 51 with per_page 20 (a page may start at most 1000 items into a list)"),
                errors(call("GET", distributions(ws) + "?page=52", token, null), 400));
        assertEquals(List.of(), identifiers(call("GET", distributions(ws) + "?page=51", token, null)));
        // 21 distributions: the default page holds 20
        for (int i = 6; i <= 21; i++) {
            createDistribution(ws, token, "{\"name\":\"D" + i + "\",\"scope\":\"WORKSPACE\"}");
        }
        assertEquals(20, identifiers(call("GET", distributions(ws), token, null)).size());
        assertEquals(List.of("d21"), identifiers(call("GET", distributions(ws) + "?page=2", token, null)));
    }

    @Test
    void frameworkErrorsUnderWorkspacesHaveBuddysShape() {
        String ws = workspace();
        String token = token(ws);
        assertEquals(List.of("Not Found"), errors(call("GET", distributions(ws) + "/abcdefgh/nothing/here", token, null), 404));
        APIGatewayProxyResponseEvent put = call("PUT", distributions(ws), token, "{}");
        List<String> messages = errors(put, 405);
        assertTrue(messages.get(0).startsWith("Method PUT is not allowed here; allowed: "), messages.toString());
        assertEquals("HEAD,POST,GET", header(put, "Allow"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> identifiers(APIGatewayProxyResponseEvent response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return ((List<Map<String, Object>>) body(response).get("distributions")).stream().map(d -> (String) d.get("identifier")).toList();
    }

    private static Map<String, Object> patch(String path, String token, String body) {
        APIGatewayProxyResponseEvent r = call("PATCH", path, token, body);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return body(r);
    }

    private static Map<String, Object> parse(String text) {
        try {
            return json.readValue(text, io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Seed 003's example response, verbatim. */
    static final String SEED_RESPONSE = """
            { "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG", "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/routes", "id": "rm1P93jG", "identifier": "test", "name": "test", "disabled": false, "scope": "WORKSPACE", "routes": [ { "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/1ObP9zw8", "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/1ObP9zw8", "id": "1ObP9zw8", "type": "PROXY", "subdomain": "testing3", "domain": "buddy.works", "path": "", "targets": { "Default": { "type": "EXTERNAL", "external_url": "kordos.com" } } }, { "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/VXb2ZOb3", "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/VXb2ZOb3", "id": "VXb2ZOb3", "type": "PROXY", "subdomain": "tunnel", "domain": "buddy.works", "path": "", "targets": { "Default": { "type": "TUNNEL", "tunnel": { "id": "bartshoot", "tunnel_id": "test" } } } }, { "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/JqbOmp06", "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/JqbOmp06", "id": "JqbOmp06", "type": "PROXY", "subdomain": "asdf", "domain": "buddy.works", "path": "asd", "targets": { "COUNTRY-PL": { "type": "EXTERNAL", "external_url": "testpl.com" }, "CONTINENT-Europe": { "type": "EXTERNAL", "external_url": "testeu.com" }, "Default": { "type": "EXTERNAL", "external_url": "test.com" } } } ], "permissions": { "others": "READ_ONLY", "users": [ { "id": 1, "access_level": "MANAGE" } ] } }""";
}
