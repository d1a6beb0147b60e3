package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Baseline for the distributions function: {@code GET /workspaces/{workspace}/distributions/{id}}
 * written by hand, without a framework. It does the function's work: take the bearer token, verify
 * it (HS256, signature, expiry, not-before, audience, subject, scope and workspaces claims), check
 * the workspace against the token's workspaces (404) and the DISTRIBUTION_INFO scope (403), check
 * the id's shape, read the distribution's partition (one consistent Query, its pages followed as
 * the function's paginator follows them), and answer the distribution with its routes (oldest
 * first) in the function's JSON shape; with the function's DynamoDB client setup.
 */
public class BareDistributionsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final String AUDIENCE = "distributions";
    static final String INFO = "DISTRIBUTION_INFO";
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{8}");
    private static final String REALM = "Bearer realm=\"distributions\"";
    private static final int MAX_TOKEN_LENGTH = 16_384;

    private final byte[] secret = Baselines.requiredEnv("AUTH_JWT_SECRET").getBytes(StandardCharsets.UTF_8);
    private final String table = Baselines.requiredEnv("DISTRIBUTIONS_TABLE");
    private final String api = withoutTrailingSlash(optionalEnv("DISTRIBUTIONS_API_BASE_URL", "https://api.buddy.works"));
    private final String html = withoutTrailingSlash(optionalEnv("DISTRIBUTIONS_HTML_BASE_URL", "https://app.buddy.works"));
    private final DynamoDbClient dynamo = BareDynamoDb.client();

    /** Who a valid token speaks for. */
    record Principal(String subject, Set<String> scopes, Set<String> workspaces) {
    }

    public BareDistributionsHandler() {
        if (secret.length < 32) {
            throw new IllegalStateException("AUTH_JWT_SECRET must be at least 32 bytes");
        }
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String authorization = Baselines.header(event, "Authorization");
        if (authorization == null || authorization.isBlank()) {
            return error(401, "Authorization header with a Bearer token is required", REALM);
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            return error(401, "Authorization must be 'Bearer <token>'", REALM);
        }
        Principal principal = verify(parts[1], secret, Instant.now().getEpochSecond());
        if (principal == null) {
            return error(401, "Token is invalid or expired", REALM + ", error=\"invalid_token\"");
        }
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        String workspace = path.getOrDefault("workspace", "");
        String id = path.getOrDefault("id", "");
        if (!WORKSPACE.matcher(workspace).matches() || !principal.workspaces().contains(workspace)) {
            return error(404, "Workspace not found", null);
        }
        if (!principal.scopes().contains(INFO)) {
            return error(403, "Token lacks the " + INFO + " scope",
                    REALM + ", error=\"insufficient_scope\", scope=\"" + INFO + "\"");
        }
        if (!ID.matcher(id).matches()) {
            return error(404, "Distribution not found", null);
        }

        Map<String, AttributeValue> distribution = null;
        List<Map<String, AttributeValue>> routes = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("DIST#" + workspace + "#" + id)))
                    .exclusiveStartKey(start)
                    .consistentRead(true).build());
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = string(item, "sk");
                if ("DISTRIBUTION".equals(sk)) {
                    distribution = item;
                } else if (sk.startsWith("ROUTE#")) {
                    routes.add(item);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (distribution == null) {
            return error(404, "Distribution not found", null);
        }
        routes.sort(Comparator.<Map<String, AttributeValue>, Instant>comparing(r -> Instant.parse(string(r, "created_at")))
                .thenComparing(r -> string(r, "id")));
        return Baselines.answer(200, view(distribution, routes));
    }

    /** The distribution's answer: its summary, scope, owner, routes and permissions. */
    private ObjectNode view(Map<String, AttributeValue> d, List<Map<String, AttributeValue>> routes) {
        String workspace = string(d, "workspace");
        String id = string(d, "id");
        ObjectNode view = Baselines.JSON.createObjectNode()
                .put("url", api + "/workspaces/" + workspace + "/distributions/" + id)
                .put("html_url", html + "/" + workspace + "/-/routing/" + id + "/routes")
                .put("id", id)
                .put("identifier", string(d, "identifier"))
                .put("name", string(d, "name"))
                .put("disabled", Boolean.TRUE.equals(d.get("disabled").bool()))
                .put("scope", string(d, "scope"));
        String project = string(d, "project_name");
        if (project != null) {
            view.putObject("project").put("name", project).put("display_name", project);
        }
        String environment = string(d, "environment_id");
        if (environment != null) {
            view.putObject("environment").put("id", environment);
        }
        ArrayNode routeViews = view.putArray("routes");
        for (Map<String, AttributeValue> r : routes) {
            String routeId = string(r, "id");
            String distributionId = string(r, "distribution_id");
            String routeWorkspace = string(r, "workspace");
            ObjectNode route = routeViews.addObject()
                    .put("url", api + "/workspaces/" + routeWorkspace + "/distributions/" + distributionId + "/routes/" + routeId)
                    .put("html_url", html + "/" + routeWorkspace + "/-/routing/" + distributionId + "/route/" + routeId)
                    .put("id", routeId)
                    .put("type", string(r, "type"))
                    .put("subdomain", string(r, "subdomain"))
                    .put("domain", string(r, "domain"))
                    .put("path", string(r, "path"));
            ObjectNode targets = route.putObject("targets");
            for (AttributeValue value : r.get("targets").l()) {
                Map<String, AttributeValue> t = value.m();
                ObjectNode target = targets.putObject(string(t, "region")).put("type", string(t, "type"));
                if ("EXTERNAL".equals(string(t, "type"))) {
                    target.put("external_url", string(t, "external_url"));
                } else {
                    target.putObject("tunnel").put("id", string(t, "tunnel_id")).put("tunnel_id", string(t, "tunnel_tunnel_id"));
                }
            }
        }
        ObjectNode permissions = view.putObject("permissions");
        Map<String, AttributeValue> p = d.get("permissions").m();
        if (string(p, "others") != null) {
            permissions.put("others", string(p, "others"));
        }
        for (String grants : List.of("users", "groups")) {
            AttributeValue list = p.get(grants);
            if (list != null) {
                ArrayNode views = permissions.putArray(grants);
                for (AttributeValue g : list.l()) {
                    views.addObject().put("id", Long.parseLong(g.m().get("id").n())).put("access_level", string(g.m(), "access_level"));
                }
            }
        }
        return view;
    }

    /** The principal of a valid token, or null for anything else (as the function, which says no more). */
    static Principal verify(String token, byte[] secret, long nowSeconds) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        try {
            JsonNode header = Baselines.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = Baselines.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (header == null || !header.isObject() || claims == null || !claims.isObject()
                    || !"HS256".equals(header.path("alg").textValue())) {
                return null;
            }
            byte[] expected = Baselines.hmacSha256(secret, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, signature)) {
                return null;
            }
            JsonNode exp = claims.get("exp");
            JsonNode nbf = claims.get("nbf");
            JsonNode aud = claims.get("aud");
            JsonNode sub = claims.get("sub");
            JsonNode scope = claims.get("scope");
            JsonNode workspaces = claims.get("workspaces");
            if (exp == null || !exp.isNumber() || exp.asLong() <= nowSeconds
                    || (nbf != null && !(nbf.isNumber() && nbf.asLong() <= nowSeconds))
                    || (aud != null && !audienceAccepted(aud))
                    || sub == null || !sub.isTextual() || sub.textValue().isBlank()
                    || scope == null || !scope.isTextual()
                    || workspaces == null || !workspaces.isArray()) {
                return null;
            }
            Set<String> names = new HashSet<>();
            for (JsonNode w : workspaces) {
                if (!w.isTextual()) {
                    return null;
                }
                names.add(w.textValue());
            }
            Set<String> scopes = new HashSet<>();
            for (String s : scope.textValue().trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
            return new Principal(sub.textValue(), Set.copyOf(scopes), Set.copyOf(names));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code "distributions"}, or a list that contains it. */
    private static boolean audienceAccepted(JsonNode aud) {
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (AUDIENCE.equals(a.textValue())) {
                    return true;
                }
            }
            return false;
        }
        return AUDIENCE.equals(aud.textValue());
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static String optionalEnv(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Buddy's error body {@code {"errors":[{"message":"..."}]}}, with the function's challenge header when it sends one. */
    private static APIGatewayProxyResponseEvent error(int status, String message, String challenge) {
        ObjectNode body = Baselines.JSON.createObjectNode();
        body.putArray("errors").addObject().put("message", message);
        APIGatewayProxyResponseEvent response = Baselines.answer(status, body);
        if (challenge != null) {
            response.setHeaders(Map.of("Content-Type", "application/json", "WWW-Authenticate", challenge));
        }
        return response;
    }
}
