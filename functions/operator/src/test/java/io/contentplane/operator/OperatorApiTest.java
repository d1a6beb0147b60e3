package io.contentplane.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentplane.domain.node.DataPlane;
import io.contentplane.domain.node.NodeControlState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.ApiState;
import io.contentplane.domain.node.Lifecycle;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.OperatorTokens;
import io.contentplane.domain.testing.TestDatabases;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.contentplane.domain.security.OperatorKey;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator API through the Lambda handler, with API Gateway REST (payload 1.0) events. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static final String DEFAULT_SECRET = "default-operator-secret";
    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    @Inject
    NodeControlService nodes;
    OperatorFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put("operator.hmac-secret", DEFAULT_SECRET);
        props.put("node.shutdown-grace", "1500ms"); // long enough to observe SHUTTING_DOWN on a loaded machine
        return props;
    }

    @BeforeAll
    void start() {
        handler = new OperatorFunction(context);
        nodes.register(DEFAULT_NODE, DEFAULT_SECRET);
    }

    /** A node of its own for each test, controlled with kid tokens. */
    record Node(String id, String secret) {
    }

    Node newNode() {
        Node node = new Node(UUID.randomUUID().toString(), "secret-" + UUID.randomUUID());
        nodes.register(node.id(), node.secret());
        return node;
    }

    APIGatewayProxyResponseEvent post(String path, String authorization, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        APIGatewayProxyRequestEvent event = LambdaEvents.request("POST", path, headers, body);
        return handler.handleRequest(event, LambdaEvents.context());
    }

    /** Posts with a valid token for {@code node} whose reqBody is the body as sent. */
    APIGatewayProxyResponseEvent call(Node node, String op, String body) {
        String path = "/api/v1/" + op;
        Object parsed = body == null ? Map.of() : parse(body);
        String token = node == null
                ? OperatorTokens.cli(DEFAULT_SECRET, path, parsed)
                : OperatorTokens.forNode(node.id(), node.secret(), path, parsed);
        return post(path, "bearer " + token, body);
    }

    Object parse(String body) {
        try {
            return json.readValue(body, Argument.of(Object.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Map<String, Object> bodyOf(APIGatewayProxyResponseEvent response) {
        try {
            return json.readValue(response.getBody(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    void assertOk(APIGatewayProxyResponseEvent response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody() == null || response.getBody().isEmpty(), response.getBody());
    }

    void assertConflict(APIGatewayProxyResponseEvent response, String message) {
        assertEquals(409, response.getStatusCode(), response.getBody());
        assertEquals(Map.of("message", message), bodyOf(response));
    }

    Map<String, Object> assertError(APIGatewayProxyResponseEvent response, int status) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        Map<String, Object> body = bodyOf(response);
        assertEquals("request_validation", body.get("type"), response.getBody());
        assertTrue(body.get("message") instanceof String m && !m.isBlank());
        return body;
    }

    NodeControlState state(Node node) {
        return nodes.find(node.id()).orElseThrow();
    }

    @Test
    void argusCliTokenControlsTheDefaultNode() {
        nodes.startApi(DEFAULT_NODE);
        // exactly what `joystream-distributor node:stop-public-api` sends: lower-case bearer, no kid
        assertOk(call(null, "stop-api", null));
        assertEquals(ApiState.STOPPED, nodes.find(DEFAULT_NODE).orElseThrow().apiState());
        assertConflict(call(null, "stop-api", null), "Already stopped");
        assertOk(call(null, "start-api", "{}"));
        assertConflict(call(null, "start-api", null), "Already started");
        assertEquals(ApiState.STARTED, nodes.find(DEFAULT_NODE).orElseThrow().apiState());
    }

    @Test
    void schemeWordIsCaseInsensitive() {
        Node node = newNode();
        String token = OperatorTokens.forNode(node.id(), node.secret(), "/api/v1/stop-api", Map.of());
        assertOk(post("/api/v1/stop-api", "BEARER " + token, null));
        token = OperatorTokens.forNode(node.id(), node.secret(), "/api/v1/start-api", Map.of());
        assertOk(post("/api/v1/start-api", "Bearer " + token, null));
    }

    @Test
    void kidTokenControlsOnlyItsOwnNode() {
        Node a = newNode();
        Node b = newNode();
        assertOk(call(a, "stop-api", null));
        assertEquals(ApiState.STOPPED, state(a).apiState());
        assertEquals(ApiState.STARTED, state(b).apiState());
        // a's kid signed with b's secret, and b's kid signed with a's secret: both refused
        String forged = OperatorTokens.forNode(a.id(), b.secret(), "/api/v1/start-api", Map.of());
        assertError(post("/api/v1/start-api", "Bearer " + forged, null), 401);
        forged = OperatorTokens.forNode(b.id(), a.secret(), "/api/v1/stop-api", Map.of());
        assertError(post("/api/v1/stop-api", "Bearer " + forged, null), 401);
        // the default secret without kid reaches the default node, never a
        assertEquals(ApiState.STOPPED, state(a).apiState());
        assertEquals(ApiState.STARTED, state(b).apiState());
        // an unknown kid
        String unknown = OperatorTokens.forNode(UUID.randomUUID().toString(), a.secret(), "/api/v1/stop-api", Map.of());
        assertError(post("/api/v1/stop-api", "Bearer " + unknown, null), 401);
    }

    @Test
    void reportUsageRecordsTheDataPlanesFiguresAndRefusesBadOnes() {
        Node node = newNode();
        assertEquals(DataPlane.NONE, state(node).dataPlane());
        assertNull(state(node).dataPlaneReportedAt());
        assertOk(call(node, "report-usage",
                "{\"objectsInCache\": 12, \"storageLimit\": 1000000, \"storageUsed\": 4096, \"downloadsInProgress\": 2}"));
        assertEquals(new DataPlane(12, 1_000_000, 4096, 2), state(node).dataPlane());
        assertNotNull(state(node).dataPlaneReportedAt());
        Map<String, Object> missing = assertError(call(node, "report-usage", "{\"objectsInCache\": 1}"), 400);
        assertTrue(missing.toString().contains("storageLimit"), missing.toString());
        assertError(call(node, "report-usage", null), 400);
        assertError(call(node, "report-usage",
                "{\"objectsInCache\": -1, \"storageLimit\": 1, \"storageUsed\": 1, \"downloadsInProgress\": 0}"), 400);
        assertError(call(node, "report-usage",
                "{\"objectsInCache\": \"1\", \"storageLimit\": 1, \"storageUsed\": 1.5, \"downloadsInProgress\": 0}"), 400);
        assertError(call(node, "report-usage",
                "{\"objectsInCache\": 1, \"storageLimit\": 1, \"storageUsed\": 1, \"downloadsInProgress\": 0, \"x\": 1}"), 400);
        assertEquals(new DataPlane(12, 1_000_000, 4096, 2), state(node).dataPlane()); // nothing refused was kept
    }

    @Test
    void setWorkerAndSetBucketsChangeTheState() {
        Node node = newNode();
        assertOk(call(node, "set-worker", "{\"workerId\": 7}"));
        assertEquals(7L, state(node).workerId());
        assertOk(call(node, "set-buckets", "{\"buckets\": [\"1:0\", \"1:5\"]}"));
        assertEquals("[\"1:0\",\"1:5\"]", state(node).buckets());
        assertOk(call(node, "set-buckets", "{\"buckets\": [0, 3]}"));
        assertEquals("[0,3]", state(node).buckets());
        assertOk(call(node, "set-buckets", "{}"));
        assertNull(state(node).buckets());
        assertOk(call(node, "set-buckets", null));
        assertOk(call(node, "set-worker", "{\"workerId\": 0}"));
        assertEquals(0L, state(node).workerId());
    }

    @Test
    void shutdownAndBoot() throws Exception {
        Node node = newNode();
        assertConflict(call(node, "boot", null), "Node is not shut down");
        assertOk(call(node, "shutdown", null));
        assertEquals(Lifecycle.SHUTTING_DOWN, state(node).lifecycle());
        assertConflict(call(node, "shutdown", null), "Already shutting down");
        assertConflict(call(node, "stop-api", null), "Node is shutting down");
        assertConflict(call(node, "boot", null), "Node is shutting down");
        Thread.sleep(1_600);
        assertEquals(Lifecycle.SHUT_DOWN, state(node).lifecycle());
        assertConflict(call(node, "shutdown", null), "Already shut down");
        assertConflict(call(node, "start-api", null), "Node is shut down; boot it first (POST /api/v1/boot)");
        assertConflict(call(node, "stop-api", null), "Node is shut down; boot it first (POST /api/v1/boot)");
        // configuration may still change while the node is down
        assertOk(call(node, "set-worker", "{\"workerId\": 3}"));
        assertOk(call(node, "boot", null));
        assertEquals(Lifecycle.RUNNING, state(node).lifecycle());
        assertEquals(ApiState.STARTED, state(node).apiState());
        assertEquals(3L, state(node).workerId());
    }

    @Test
    void twentyRacingStopApiCallsGetOne200AndNineteen409() throws Exception {
        Node node = newNode();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String token = OperatorTokens.forNode(node.id(), node.secret(), "/api/v1/stop-api", Map.of());
                futures.add(pool.submit(() -> {
                    go.await();
                    return post("/api/v1/stop-api", "Bearer " + token, null);
                }));
            }
            go.countDown();
            int ok = 0;
            int conflict = 0;
            for (Future<APIGatewayProxyResponseEvent> f : futures) {
                int status = f.get().getStatusCode();
                if (status == 200) {
                    ok++;
                } else if (status == 409) {
                    conflict++;
                }
            }
            assertEquals(1, ok);
            assertEquals(19, conflict);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void authenticationFailuresAre401() throws Exception {
        Node node = newNode();
        String url = "/api/v1/stop-api";
        long now = System.currentTimeMillis() / 1000;
        assertError(post(url, null, null), 401);
        assertError(post(url, "", null), 401);
        String good = OperatorTokens.forNode(node.id(), node.secret(), url, Map.of());
        assertError(post(url, "Basic " + good, null), 401);
        assertError(post(url, "Bearer", null), 401);
        assertError(post(url, "Bearer not.a.jwt", null), 401);
        assertError(post(url, "Bearer abc", null), 401);
        // wrong secret
        assertError(post(url, "Bearer " + OperatorTokens.forNode(node.id(), "wrong", url, Map.of()), null), 401);
        // tampered: payload swapped for one with another url, signature kept
        String other = OperatorTokens.forNode(node.id(), node.secret(), "/api/v1/start-api", Map.of());
        String[] g = good.split("\\.");
        String[] o = other.split("\\.");
        assertError(post(url, "Bearer " + g[0] + "." + o[1] + "." + g[2], null), 401);
        // wrong url, wrong body
        assertError(post(url, "Bearer " + other, null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.forNode(node.id(), node.secret(), url, Map.of("x", 1)), null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.forNode(node.id(), node.secret(), url + "?a=1", Map.of()), null), 401);
        // expired, too old (no exp, iat 6 minutes ago), no iat, iat in the future
        assertError(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now - 100, 60L), null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now - 360, null), null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now - 360, 3600L), null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), null, null), null), 401);
        assertError(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now + 3600, 60L), null), 401);
        // alg none: header {"alg":"none"} with the payload of a good token and no signature
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"x\"}".getBytes());
        assertError(post(url, "Bearer " + none + "." + g[1] + ".", null), 401);
        // another algorithm: RS256, validly signed with an RSA key
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(node.id()).build(), new JWTClaimsSet.Builder()
                .claim("reqUrl", url).claim("reqBody", Map.of()).claim("iat", now).claim("exp", now + 60).build());
        rs256.sign(new RSASSASigner(rsa));
        assertError(post(url, "Bearer " + rs256.serialize(), null), 401);
        // a 20 kB token: refused like any other bad token
        assertError(post(url, "Bearer " + "a".repeat(20_000), null), 401);
        // none of these changed anything
        assertEquals(ApiState.STARTED, state(node).apiState());
        // a token 4 minutes old without exp is still good
        assertOk(post(url, "Bearer " + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now - 240, null), null));
    }

    /**
     * Authentication (401) is decided before the body is validated (400 with errors). As Argus's
     * express.json() runs before its OperatorAuth, only a body that is not JSON (400) or is over
     * 100 kB (413) is refused before the token is looked at.
     */
    @Test
    void authenticationIsCheckedBeforeTheBodyIsValidated() {
        Node node = newNode();
        String wrong = OperatorTokens.forNode(node.id(), "wrong", "/api/v1/set-worker", Map.of("workerId", "x"));
        assertError(post("/api/v1/set-worker", "Bearer " + wrong, "{\"workerId\": \"x\"}"), 401);
        assertError(post("/api/v1/set-worker", null, "{\"workerId\": \"x\"}"), 401);
        assertError(post("/api/v1/set-worker", null, "{\"workerId\": 1, \"extra\": 1}"), 401);
        assertEquals("Request body is not valid JSON", assertError(post("/api/v1/set-worker", null, "{not json"), 400).get("message"));
        assertError(post("/api/v1/set-worker", null, "x".repeat(200_000)), 413);
        assertNull(state(node).workerId());
    }

    /** Argus's jsonwebtoken accepts HS256, HS384 and HS512 operator tokens; the node's secret may be of any length. */
    @Test
    void everyHmacAlgorithmArgusAcceptsWorks() throws Exception {
        Node node = new Node(UUID.randomUUID().toString(), "short");
        nodes.register(node.id(), node.secret());
        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
            String path = algorithm == JWSAlgorithm.HS384 ? "/api/v1/stop-api" : "/api/v1/start-api";
            assertOk(post(path, "Bearer " + signed(algorithm, node.id(), node.secret(), path, Map.of()), null));
        }
        assertEquals(ApiState.STARTED, state(node).apiState());
    }

    /** Each refusal says why, as Argus's jsonwebtoken errors do. */
    @Test
    void refusalsNameTheirReason() {
        Node node = newNode();
        String url = "/api/v1/stop-api";
        long now = System.currentTimeMillis() / 1000;
        assertEquals("Authorization token is missing", assertError(post(url, null, null), 401).get("message"));
        assertEquals("Authorization header must be 'Bearer <token>'", assertError(post(url, "Basic abc", null), 401).get("message"));
        assertEquals("Invalid token: req.originalUrl mismatch", assertError(post(url, "Bearer "
                + OperatorTokens.forNode(node.id(), node.secret(), "/api/v1/start-api", Map.of()), null), 401).get("message"));
        assertEquals("Invalid token: req.body mismatch", assertError(post(url, "Bearer "
                + OperatorTokens.forNode(node.id(), node.secret(), url, Map.of("a", 1)), null), 401).get("message"));
        assertEquals("Invalid token: maxAge exceeded", assertError(post(url, "Bearer "
                + OperatorTokens.make(node.secret(), node.id(), url, Map.of(), now - 360, null), null), 401).get("message"));
        assertEquals("Invalid token", assertError(post(url, "Bearer "
                + OperatorTokens.forNode(node.id(), "wrong", url, Map.of()), null), 401).get("message"));
    }

    /**
     * Tokens that are not Argus operator tokens never authenticate an operator request, even signed
     * with the node's secret; nor does API Gateway's identity header, which any client can send.
     */
    @Test
    void otherKindsOfTokenAndIdentityHeadersAre401() throws Exception {
        Node node = newNode();
        long now = System.currentTimeMillis() / 1000;
        JWTClaimsSet integration = new JWTClaimsSet.Builder().subject("key").audience("integration").issuer("contentplane")
                .claim("tenant", "dev").issueTime(new java.util.Date()).expirationTime(new java.util.Date((now + 60) * 1000)).build();
        JWTClaimsSet distributions = new JWTClaimsSet.Builder().subject("dev").audience("distributions")
                .claim("scope", "DISTRIBUTION_INFO DISTRIBUTION_ADD DISTRIBUTION_MANAGE").claim("workspaces", List.of("w"))
                .expirationTime(new java.util.Date((now + 60) * 1000)).build();
        for (JWTClaimsSet claims : List.of(integration, distributions)) {
            assertError(post("/api/v1/stop-api", "Bearer " + new OperatorKey(node.secret(), node.id()).sign(claims).serialize(), null), 401);
            assertError(post("/api/v1/stop-api", "Bearer " + new OperatorKey(DEFAULT_SECRET).sign(claims).serialize(), null), 401);
        }
        Map<String, String> headers = Map.of("x-amzn-oidc-identity", "someone");
        APIGatewayProxyResponseEvent gatewayIdentity = handler.handleRequest(
                LambdaEvents.request("POST", "/api/v1/stop-api", headers, null), LambdaEvents.context());
        assertError(gatewayIdentity, 401);
        assertEquals(ApiState.STARTED, state(node).apiState());
    }

    static String signed(JWSAlgorithm algorithm, String kid, String secret, String url, Object body) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), new JWTClaimsSet.Builder()
                .claim("reqUrl", url).claim("reqBody", body).claim("iat", now).claim("exp", now + 60).build());
        jwt.sign(new OperatorKey(secret));
        return jwt.serialize();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "{\"workerId\": \"1\"}", "{\"workerId\": -1}", "{\"workerId\": 1.5}", "{\"workerId\": null}",
            "{\"workerId\": 1, \"extra\": true}", "[]", "{\"workerId\": 99999999999999999999999}"})
    void invalidSetWorkerBodiesAre400(String body) {
        Node node = newNode();
        Map<String, Object> error = assertError(call(node, "set-worker", body), 400);
        assertTrue(error.get("errors") instanceof List<?> errors && !errors.isEmpty(), error.toString());
        assertNull(state(node).workerId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"buckets\": []}", "{\"buckets\": null}", "{\"buckets\": \"1:1\"}", "{\"buckets\": [\"1\"]}",
            "{\"buckets\": [1, \"1:1\"]}", "{\"buckets\": [\"1:1\", 1]}", "{\"buckets\": [1, 1]}",
            "{\"buckets\": [\"2:1\", \"2:1\"]}", "{\"buckets\": [-1]}", "{\"buckets\": [1.5]}",
            "{\"buckets\": [true]}", "{\"buckets\": [1], \"extra\": 1}", "{\"buckets\": [\"a:b\"]}"})
    void invalidSetBucketsBodiesAre400(String body) {
        Node node = newNode();
        Map<String, Object> error = assertError(call(node, "set-buckets", body), 400);
        assertTrue(error.get("errors") instanceof List<?> errors && !errors.isEmpty(), error.toString());
        assertNull(state(node).buckets());
    }

    @Test
    void bodiesOfOperationsWithoutOneMustBeEmpty() {
        Node node = newNode();
        assertError(call(node, "stop-api", "{\"force\": true}"), 400);
        assertError(call(node, "shutdown", "[1]"), 400);
        assertEquals(ApiState.STARTED, state(node).apiState());
        assertEquals(Lifecycle.RUNNING, state(node).lifecycle());
    }

    @Test
    void malformedAndOversizedBodies() {
        Node node = newNode();
        String url = "/api/v1/set-worker";
        String token = OperatorTokens.forNode(node.id(), node.secret(), url, Map.of("workerId", 1));
        Map<String, Object> malformed = assertError(post(url, "Bearer " + token, "{\"workerId\": 1"), 400);
        assertEquals("Request body is not valid JSON", malformed.get("message"));
        // strict, as Argus's express.json(): the body is an object or an array
        for (String scalar : List.of("\"text\"", "null", "1", "true")) {
            String signed = OperatorTokens.forNode(node.id(), node.secret(), url, parse(scalar));
            assertEquals("Request body is not valid JSON", assertError(post(url, "Bearer " + signed, scalar), 400).get("message"));
        }
        String big = "{\"workerId\": 1, \"pad\": \"" + "x".repeat(120_000) + "\"}";
        assertError(post(url, "Bearer " + token, big), 413);
        assertNull(state(node).workerId());
    }

    @Test
    void brokenStoredSecretIs500WithoutDetail() throws Exception {
        Node node = newNode();
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
                .unwrapDataSource(context.getBean(javax.sql.DataSource.class)).getConnection();
             var s = c.prepareStatement("UPDATE node_parameter SET param_value = 'v1:AAAA' WHERE node_id = ? AND param_name = 'operator_secret'")) {
            s.setString(1, node.id());
            assertEquals(1, s.executeUpdate());
        }
        APIGatewayProxyResponseEvent response = call(node, "stop-api", null);
        assertEquals(500, response.getStatusCode());
        assertEquals(Map.of("type", "exception", "message", "Unexpected server error"), bodyOf(response));
        assertFalse(response.getBody().contains("Exception"));
    }

    /**
     * Replays every file of events/ (the ones {@code sam local invoke -e} takes) through the handler, as
     * declared in {@link EventReplays} (the files' tokens expired long ago, as any stored token does: each
     * is re-signed for the default node exactly as the local runner's {@code sign-event} command does).
     * The sam local test (functions/local SamLocalIT) replays the same declarations through the SAM CLI.
     */
    @Test
    void everyEventFileIsAnsweredAsDocumented() {
        EventReplays.of("operator").replay(new EventReplays.Stores(context, null), Path.of("events"), EventReplays.handler(handler));
    }
}
