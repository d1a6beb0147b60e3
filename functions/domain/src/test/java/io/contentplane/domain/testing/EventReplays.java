package io.contentplane.domain.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.node.ApiState;
import io.contentplane.domain.node.Lifecycle;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.NodeControlState;
import io.contentplane.domain.secrets.RuntimeSecrets;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every file of each function's events/ must answer, declared once: the order in which they run,
 * the state each one starts from (set through the stores), the fresh tokens and ids it gets, and the
 * status and body it must answer. The handler tests replay them through {@code handleRequest}; the
 * {@code sam local invoke} test (functions/local SamLocalIT) replays the same through the SAM CLI, on
 * the stores the functions run on there. Only how an event reaches the function differs ({@link Invoker}).
 */
public final class EventReplays {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one event (JSON) to the function and answers its answer (JSON: API Gateway's response, or the function's result). */
    @FunctionalInterface
    public interface Invoker {
        String invoke(String file, String event);
    }

    /**
     * The stores of the function under test, and the secrets it signs with (read from the context's
     * properties); {@code environment}: the variables the function itself runs with, as template.yaml
     * names them (the migration replay checks the database and the secrets they name; the others need none).
     */
    public record Stores(ApplicationContext context, String tenant, Map<String, String> environment) {
        public Stores(ApplicationContext context, String tenant) {
            this(context, tenant, Map.of());
        }

        String nodeId() {
            return context.getRequiredProperty("node.id", String.class);
        }

        String property(String name) {
            return context.getRequiredProperty(name, String.class);
        }
    }

    /** One function's events/ replay. */
    public interface Replay {
        /** The function's logical id in template.yaml. */
        String function();

        /** The logical id of the function that takes this file (a module may hold several handlers). */
        default String function(String file) {
            return function();
        }

        /** Its folder under functions/. */
        String module();

        /** The events/ files, in the order they are replayed. */
        List<String> order();

        /** Replays them all; fails on the first answer that differs from what is declared. */
        void replay(Stores stores, Path eventsDir, Invoker invoker);
    }

    /** In the order SamLocalIT replays them: the deploy step first, then the dispatcher before any distributor exists. */
    public static final List<Replay> ALL = List.of(new Migrate(), new Dispatcher(), new Status(), new Operator(), new Integration(),
            new Distributions());

    private EventReplays() {
    }

    /** The invoker of a handler test: the event through the Lambda handler's handleRequest, in this JVM. */
    public static Invoker handler(com.amazonaws.services.lambda.runtime.RequestHandler<
            com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent,
            com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent> handler) {
        return (file, event) -> {
            try {
                return JSON.writeValueAsString(handler.handleRequest(
                        LambdaEvents.fromTree((ObjectNode) JSON.readTree(event)), LambdaEvents.context()));
            } catch (JsonProcessingException e) {
                throw new AssertionError(file, e);
            }
        };
    }

    /**
     * Modules whose events/ are deliberately not replayed through {@code sam local invoke}, each with
     * the reason (SamLocalIT prints it; a module neither declared in {@link #ALL} nor named here fails).
     * None today: every function's events/ goes through SAM.
     */
    public static final Map<String, String> NOT_THROUGH_SAM_LOCAL = Map.of();

    public static Replay of(String module) {
        return ALL.stream().filter(r -> r.module().equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError("no expectations declared for the events/ of functions/" + module
                        + " (add them to EventReplays)"));
    }

    /** The order must name exactly the files that exist: a new event file needs its expectation here. */
    static void checkCovers(Replay replay, Path eventsDir) {
        try (Stream<Path> files = Files.list(eventsDir)) {
            assertEquals(replay.order().stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList(),
                    "the events/ of " + replay.module() + " and the expectations declared for them");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode event(Path eventsDir, String file) {
        return LambdaEvents.tree(eventsDir.resolve(file));
    }

    /** An API Gateway answer: status and body. */
    record Answer(int status, String body, JsonNode json) {
        JsonNode bodyJson() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static Answer call(Invoker invoker, String file, ObjectNode event) {
        String text = invoker.invoke(file, event.toString());
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(file + ": the answer is not JSON: " + text, e);
        }
        assertTrue(json != null && json.has("statusCode"), file + ": no API Gateway answer: " + text);
        JsonNode body = json.get("body");
        return new Answer(json.get("statusCode").asInt(), body == null || body.isNull() ? "" : body.asText(), json);
    }

    static void expect(String file, int status, Answer answer) {
        assertEquals(status, answer.status(), file + ": " + answer.body());
    }

    /** The node public API: every file 200, the default node's status, its buckets as set by the worker. */
    static final class Status implements Replay {
        public String function() { return "StatusFunction"; }
        public String module() { return "status"; }
        public List<String> order() { return List.of("buckets.json", "node-buckets.json", "node-status.json", "status.json"); }

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            NodeControlService nodes = stores.context().getBean(NodeControlService.class);
            Operator.running(stores);
            nodes.startApi(stores.nodeId());
            nodes.setWorker(stores.nodeId(), 1);
            for (String file : order()) {
                Answer answer = call(invoker, file, event(eventsDir, file));
                expect(file, 200, answer);
                if (file.contains("status")) {
                    assertEquals(stores.nodeId(), answer.bodyJson().path("id").asText(), file);
                } else {
                    assertEquals(JSON.createObjectNode().put("allByWorkerId", 1), answer.bodyJson(), file);
                }
            }
        }
    }

    /**
     * The operator API: each file, re-signed for the default node as {@code local.jar sign-event} does,
     * from the state in which it succeeds, answers 200 and changes the node's state as it says.
     */
    static final class Operator implements Replay {
        public String function() { return "OperatorFunction"; }
        public String module() { return "operator"; }
        public List<String> order() {
            return List.of("stop-api.json", "start-api.json", "set-worker.json", "set-buckets.json", "shutdown.json", "boot.json");
        }

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            NodeControlService nodes = stores.context().getBean(NodeControlService.class);
            String node = stores.nodeId();
            for (String file : order()) {
                String op = file.replace(".json", "");
                running(stores);
                switch (op) {
                    case "boot" -> {
                        nodes.shutdown(node);
                        sleep(grace(stores).plusMillis(100));
                    }
                    case "start-api" -> nodes.stopApi(node);
                    case "stop-api" -> nodes.startApi(node);
                    default -> {
                        // set-worker, set-buckets and shutdown succeed from a running node
                    }
                }
                ObjectNode event = event(eventsDir, file);
                String body = event.hasNonNull("body") ? event.get("body").asText() : null;
                String token = OperatorTokens.cli(stores.property("operator.hmac-secret"), event.get("path").asText(),
                        body == null ? Map.of() : parse(body));
                LambdaEvents.setHeader(event, "authorization", "bearer " + token);
                expect(file, 200, call(invoker, file, event));
                NodeControlState state = nodes.find(node).orElseThrow();
                switch (op) {
                    case "boot", "start-api" -> assertEquals(ApiState.STARTED, state.apiState(), file);
                    case "stop-api" -> assertEquals(ApiState.STOPPED, state.apiState(), file);
                    case "shutdown" -> assertEquals(Lifecycle.SHUTTING_DOWN, state.lifecycle(), file);
                    case "set-worker" -> assertEquals(0L, state.workerId(), file);
                    case "set-buckets" -> assertEquals("[\"1:0\",\"1:1\"]", state.buckets(), file);
                    default -> throw new AssertionError("no check for " + op);
                }
            }
            nodes.startApi(node); // leave the default node as the other tests expect it
        }

        /** The default node running (booted again after its shutdown grace if it was shut down). */
        static void running(Stores stores) {
            NodeControlService nodes = stores.context().getBean(NodeControlService.class);
            if (nodes.find(stores.nodeId()).orElseThrow().lifecycle() != Lifecycle.RUNNING) {
                sleep(grace(stores).plusMillis(100));
                nodes.boot(stores.nodeId());
            }
        }

        static Duration grace(Stores stores) {
            return stores.context().getRequiredProperty("node.shutdown-grace", Duration.class);
        }
    }

    /**
     * The integration API, in an order that makes each file succeed: auth-authenticate logs the key
     * dev-api-key in, auth-refresh spends the refresh token it answered, and every later file carries
     * the access token that refresh answered; the
     * seed distributor id is replaced by the one distributors-create answered, and the delivery that
     * distributors-redeliver sends again is one that ended (refused for good) before it.
     */
    static final class Integration implements Replay {
        static final String KEY = "dev-api-key";
        static final String SECRET = "dev-api-secret-change-me";
        static final String SEED_DISTRIBUTOR = "39e8003c-6342-4fd3-97a1-3f2a7b437d0a";
        static final String SEED_EVENT = "evt_5b1f0c9e2d3a4f6b8c7d9e0a1b2c3d4e";
        static final String SEED_REFRESH_TOKEN = "REPLACE-WITH-A-REFRESH-TOKEN";
        /** The node the events address (template.yaml's DefaultNodeId), registered in the key's tenant. */
        static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";

        public String function() { return "IntegrationFunction"; }
        public String module() { return "integration"; }
        public List<String> order() {
            return List.of("auth-authenticate.json", "auth-refresh.json", "nodes-create.json", "nodes-get.json", "nodes-update.json",
                    "nodes-children.json", "distributors-create.json", "distributors-update.json", "distributors-get.json",
                    "distributors-list.json", "distributors-signing-secret.json", "distributors-signing-secret-rotate.json",
                    "distributors-deliveries.json", "distributors-redeliver.json", "distributors-delete.json", "nodes-delete.json");
        }

        static final Map<String, Integer> STATUS = Map.ofEntries(Map.entry("auth-authenticate.json", 200),
                Map.entry("auth-refresh.json", 200), Map.entry("nodes-create.json", 201), Map.entry("nodes-get.json", 200),
                Map.entry("nodes-update.json", 200), Map.entry("nodes-children.json", 200), Map.entry("distributors-create.json", 201),
                Map.entry("distributors-update.json", 200), Map.entry("distributors-get.json", 200),
                Map.entry("distributors-list.json", 200), Map.entry("distributors-signing-secret.json", 200),
                Map.entry("distributors-signing-secret-rotate.json", 200), Map.entry("distributors-deliveries.json", 200),
                Map.entry("distributors-redeliver.json", 202), Map.entry("distributors-delete.json", 204),
                Map.entry("nodes-delete.json", 204));

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            ApplicationContext context = stores.context();
            context.getBean(ApiKeyStore.class).put(KEY, SECRET, stores.tenant());
            context.getBean(NodeRegistry.class).ensureApex(stores.tenant(), DEFAULT_NODE, "Default node");
            Map<String, String> replacements = new HashMap<>();
            String accessToken = null;
            for (String file : order()) {
                ObjectNode event = event(eventsDir, file);
                if (!file.startsWith("auth-")) {
                    LambdaEvents.setHeader(event, "Authorization", "Bearer " + accessToken);
                }
                if (file.equals("distributors-redeliver.json")) {
                    // a delivery that ended (here: refused for good), so that it can be sent again
                    // queued as the delivery function's fan-out does (the dispatcher module tests that part)
                    String distributor = replacements.get(SEED_DISTRIBUTOR);
                    DeliveryStore deliveries = context.getBean(DeliveryStore.class);
                    deliveries.enqueue(distributor, "evt_" + UUID.randomUUID().toString().replace("-", ""), "distributor.created",
                            DEFAULT_NODE, "{}", Instant.now(), Instant.now());
                    Delivery delivery = deliveries.list(distributor, 1, 1).deliveries().get(0);
                    deliveries.recordAttempt(delivery, Delivery.State.FAILED, 410, "HTTP 410", null, Instant.now());
                    replacements.put(SEED_EVENT, delivery.eventId());
                }
                replace(event, replacements);
                Answer answer = call(invoker, file, event);
                expect(file, STATUS.get(file), answer);
                switch (file) {
                    case "auth-authenticate.json" -> {
                        assertEquals("Bearer", answer.bodyJson().path("token_type").asText(), file);
                        replacements.put(SEED_REFRESH_TOKEN, answer.bodyJson().path("refresh_token").asText());
                    }
                    case "auth-refresh.json" -> accessToken = answer.bodyJson().path("access_token").asText();
                    case "distributors-create.json" -> replacements.put(SEED_DISTRIBUTOR, answer.bodyJson().path("id").asText());
                    case "nodes-get.json" -> assertEquals(DEFAULT_NODE, answer.bodyJson().path("id").asText(), file);
                    default -> {
                    }
                }
            }
        }
    }

    /**
     * The distributions API, in an order that makes each file succeed, on a fresh workspace (so that
     * nothing left in the table by others matters): each gets a fresh token for it, and the seed ids in
     * paths become the ids the create events answered.
     */
    static final class Distributions implements Replay {
        static final String SEED_WORKSPACE = "/workspaces/my-workspace/";
        static final String SEED_DISTRIBUTION = "rm1P93jG";
        static final String SEED_ROUTE = "JqbOmp06";

        public String function() { return "DistributionsFunction"; }
        public String module() { return "distributions"; }
        public List<String> order() {
            return List.of("distributions-create.json", "distributions-list.json", "distributions-get.json",
                    "distributions-update.json", "routes-create.json", "routes-list.json", "routes-get.json", "routes-update.json",
                    "distributions-resolve.json", "routes-delete.json", "distributions-delete.json");
        }

        static final Map<String, Integer> STATUS = Map.ofEntries(Map.entry("distributions-create.json", 201),
                Map.entry("distributions-list.json", 200), Map.entry("distributions-get.json", 200),
                Map.entry("distributions-update.json", 200), Map.entry("routes-create.json", 201), Map.entry("routes-list.json", 200),
                Map.entry("routes-get.json", 200), Map.entry("routes-update.json", 200), Map.entry("distributions-resolve.json", 200),
                Map.entry("routes-delete.json", 204), Map.entry("distributions-delete.json", 204));

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
            String token = DistributionTokens.signedWith(stores.property("auth.jwt-secret"))
                    .issue("dev-user", DistributionTokens.SCOPES, List.of(workspace), Duration.ofMinutes(30));
            Map<String, String> replacements = new HashMap<>(Map.of(SEED_WORKSPACE, "/workspaces/" + workspace + "/"));
            String distribution = null;
            for (String file : order()) {
                ObjectNode event = event(eventsDir, file);
                LambdaEvents.setHeader(event, "Authorization", "Bearer " + token);
                replace(event, replacements);
                Answer answer = call(invoker, file, event);
                expect(file, STATUS.get(file), answer);
                switch (file) {
                    case "distributions-create.json" -> {
                        distribution = answer.bodyJson().path("id").asText();
                        replacements.put(SEED_DISTRIBUTION, distribution);
                    }
                    case "routes-create.json" -> replacements.put(SEED_ROUTE, answer.bodyJson().path("id").asText());
                    case "distributions-resolve.json" -> assertEquals("COUNTRY-PL", answer.bodyJson().path("region").asText(), file);
                    case "distributions-list.json" -> {
                        List<String> ids = new ArrayList<>();
                        answer.bodyJson().path("distributions").forEach(d -> ids.add(d.path("id").asText()));
                        assertEquals(List.of(distribution), ids, file);
                    }
                    default -> {
                    }
                }
            }
        }
    }

    /**
     * The dispatcher module's two handlers. schedule.json (the relay, DispatcherFunction): runs at least
     * one relay cycle and answers how many events it relayed. sqs-fan-out.json and sqs-delivery.json
     * (DeliveryFunction, as SQS's event source mapping sends them): their sample messages name an event
     * and a distributor no store holds, so each is handled with nothing to send and the partial batch
     * response names no failure (a failure would leave the message on its queue). The handlers need
     * their queues (template.yaml's FIFO queues: LocalStack's SQS here); the chain relay, fan-out,
     * delivery with real messages is DispatcherFunctionIT's.
     */
    static final class Dispatcher implements Replay {
        public String function() { return "DispatcherFunction"; }
        public String function(String file) { return file.startsWith("sqs-") ? "DeliveryFunction" : function(); }
        public String module() { return "dispatcher"; }
        public List<String> order() { return List.of("schedule.json", "sqs-fan-out.json", "sqs-delivery.json"); }

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            for (String file : order()) {
                String text = invoker.invoke(file, event(eventsDir, file).toString());
                JsonNode answer;
                try {
                    answer = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new AssertionError(file + ": the answer is not JSON: " + text, e);
                }
                assertTrue(answer != null && answer.isObject(), file + ": " + text);
                if (file.startsWith("sqs-")) {
                    assertEquals(JSON.createObjectNode().set("batchItemFailures", JSON.createArrayNode()), answer, file);
                } else {
                    assertTrue(answer.path("cycles").asInt() >= 1, "schedule.json: " + text);
                    assertTrue(answer.path("relayed").isIntegralNumber() && answer.path("relayed").asLong() >= 0,
                            "schedule.json: " + text);
                }
            }
        }
    }

    /**
     * The migration function's CloudFormation custom-resource events, in a stack's life: Create, Update,
     * Delete. Its answer is not its return value but a PUT to the event's pre-signed S3 ResponseURL, so
     * each event's ResponseURL is moved to a receiver of this replay on 127.0.0.1 (same path and query;
     * a function under sam local runs on the host network and reaches it). Every request is answered
     * SUCCESS for the one physical resource; Create and Update migrate the database the function's
     * environment names (JDBC_URL), register its NODE_ID and create the four function roles from their
     * secrets, Delete keeps everything. The database is checked with the environment's master login
     * (DATABASE_SECRET_ARN) and each role's own login from its secret.
     */
    static final class Migrate implements Replay {
        static final String PHYSICAL_ID = "contentplane-database-migrations";
        /** The last migration of db/migration (V3). */
        static final String SCHEMA_VERSION = "3";
        static final String ROLES = "contentplane_operator,contentplane_status,contentplane_integration,contentplane_dispatcher";
        /** The parameters a registered node has: api_state, lifecycle, worker_id, buckets, data_plane, operator_secret. */
        static final int NODE_PARAMETERS = 6;

        /** One request the receiver got. */
        record Received(String method, String pathAndQuery, String contentType, JsonNode body) {
        }

        public String function() { return "MigrationFunction"; }
        public String module() { return "migrate"; }
        public List<String> order() { return List.of("create.json", "update.json", "delete.json"); }

        public void replay(Stores stores, Path eventsDir, Invoker invoker) {
            checkCovers(this, eventsDir);
            Map<String, String> environment = stores.environment();
            String node = environment.get("NODE_ID");
            assertTrue(node != null && environment.get("JDBC_URL") != null, "the migration function's environment: " + environment.keySet());
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            HttpServer receiver = receiver(received);
            try {
                for (String file : order()) {
                    ObjectNode event = event(eventsDir, file);
                    URI presigned = URI.create(event.get("ResponseURL").asText());
                    String pathAndQuery = presigned.getRawPath() + "?" + presigned.getRawQuery();
                    event.put("ResponseURL", "http://127.0.0.1:" + receiver.getAddress().getPort() + pathAndQuery);
                    String returned = invoker.invoke(file, event.toString());
                    Received put = received.poll(60, TimeUnit.SECONDS);
                    assertNotNull(put, file + ": no PUT to the ResponseURL; the function returned " + returned);
                    assertEquals("PUT", put.method(), file);
                    assertEquals(pathAndQuery, put.pathAndQuery(), file + ": PUT to the pre-signed URL as given");
                    assertNull(put.contentType(), file + ": no Content-Type: the URL's signature covers none");
                    JsonNode body = put.body();
                    assertEquals("SUCCESS", body.path("Status").asText(), file + ": " + body);
                    assertEquals(PHYSICAL_ID, body.path("PhysicalResourceId").asText(), file + ": the one resource");
                    for (String field : List.of("StackId", "RequestId", "LogicalResourceId")) {
                        assertEquals(event.get(field).asText(), body.path(field).asText(), file + ": " + field);
                    }
                    ObjectNode data = JSON.createObjectNode();
                    if (!file.equals("delete.json")) {
                        data.put("SchemaVersion", SCHEMA_VERSION).put("DefaultNodeId", node).put("Roles", ROLES);
                    }
                    assertEquals(data, body.path("Data"), file + ": " + body);
                    assertEquals(data, JSON.readTree(returned), file + ": the function returns the Data it answered");
                    checkDatabase(file, environment, node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                receiver.stop(0);
            }
        }

        /** What every request leaves: the schema at its version, the node registered once, each role logging in with its secret. */
        private static void checkDatabase(String file, Map<String, String> environment, String node) {
            String url = environment.get("JDBC_URL");
            try (SecretsManagerClient secrets = RuntimeSecrets.client(environment)) {
                Map<String, String> master = RuntimeSecrets.read(secrets, "DATABASE_SECRET_ARN", environment.get("DATABASE_SECRET_ARN"));
                try (Connection c = DriverManager.getConnection(url, master.get("username"), master.get("password"))) {
                    assertEquals(Integer.parseInt(SCHEMA_VERSION), count(c, "SELECT count(*) FROM flyway_schema_history WHERE success"),
                            file + ": every migration applied once");
                    assertEquals(NODE_PARAMETERS, count(c, "SELECT count(*) FROM node_parameter WHERE node_id = '" + node + "'"),
                            file + ": the default node registered once");
                }
                for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
                    Map<String, String> login = RuntimeSecrets.read(secrets, role.secretVariable(), environment.get(role.secretVariable()));
                    try (Connection c = DriverManager.getConnection(url, login.get("username"), login.get("password"));
                         Statement s = c.createStatement()) {
                        s.executeQuery("SELECT 1").close();
                        if (role == DatabaseRoles.Role.STATUS) {
                            // The status function's login: reads, and nothing more.
                            s.executeQuery("SELECT count(*) FROM node_parameter").close();
                            SQLException refused = assertThrows(SQLException.class, () -> s.execute("DELETE FROM node_parameter"));
                            assertEquals("42501", refused.getSQLState(), file + ": " + refused.getMessage());
                        }
                    }
                }
                // (and the server checks passwords: a login that is not the secret's is refused)
                SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url,
                        DatabaseRoles.Role.STATUS.roleName(), "not-the-password-" + UUID.randomUUID()).close());
                assertEquals("28P01", refused.getSQLState(), file + ": " + refused.getMessage());
            } catch (SQLException e) {
                throw new AssertionError(file + ": " + e.getMessage(), e);
            }
        }

        private static long count(Connection connection, String sql) throws SQLException {
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        private static HttpServer receiver(BlockingQueue<Received> received) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/", exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath() + "?"
                                + exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                                JSON.readTree(body)));
                        exchange.sendResponseHeaders(200, -1);
                    }
                });
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Replaces each key by its value in the event's path and body. */
    static void replace(ObjectNode event, Map<String, String> replacements) {
        String path = event.get("path").asText();
        String body = event.hasNonNull("body") ? event.get("body").asText() : null;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            path = path.replace(r.getKey(), r.getValue());
            body = body == null ? null : body.replace(r.getKey(), r.getValue());
        }
        event.put("path", path);
        if (body != null) {
            event.put("body", body);
        }
    }

    static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(json, e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
