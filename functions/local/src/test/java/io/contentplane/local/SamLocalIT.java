package io.contentplane.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentplane.domain.secrets.RuntimeSecrets;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LocalStack;
import io.contentplane.domain.testing.OperatorTokens;
import io.contentplane.domain.distribution.DistributionTokens;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every file of every function's events/ through {@code sam local invoke} (functions/local/sam-local.sh,
 * the SAM CLI on the locally built Lambda Java image), checked against the same declarations the handler
 * tests replay ({@link EventReplays}); then one {@code sam local start-api} round trip per API group, and
 * the check that SAM's containers run on the host network with no published port and their emulator on
 * 127.0.0.1. The stores are sam-local.sh's own (PostgreSQL, and DynamoDB and secrets on the build's
 * LocalStack, in tables of this run); this test opens a context on the same stores to set the state each
 * event starts from. Where Docker cannot run, it fails with sam-local.sh's reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamLocalIT {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("functions/local/sam-local.sh");
    /** Longer than the handler tests' grace: the node is checked only after SAM has returned, seconds after the function answered. */
    static final String GRACE = "20s";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> env = new LinkedHashMap<>();
    private ApplicationContext stores;
    private Map<String, Object> secrets;
    /** The migration function's variables, as SAM passes them: the env-vars file's Parameters and its own entry. */
    private final Map<String, String> migrationEnvironment = new HashMap<>();
    private int port;

    @BeforeAll
    void prepare() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        env.put("PORT", Integer.toString(port));
        env.put("LOCALSTACK_PORT", Integer.toString(URI.create(LocalStack.endpoint()).getPort()));
        env.put("INTEGRATION_TABLE", "sam-it-integration-" + run);
        env.put("DISTRIBUTIONS_TABLE", "sam-it-distributions-" + run);
        env.put("NODE_SHUTDOWN_GRACE", GRACE);
        env.put("DISPATCHER_RUN_FOR", "2s");
        env.put("AWS_REGION", "eu-west-1");
        Result prepared = script(Duration.ofMinutes(20), "prepare");
        if (prepared.exit() != 0) {
            fail("sam-local.sh prepare failed (exit " + prepared.exit() + "): sam local cannot run here:\n" + prepared.err());
        }
        Path envFile = Path.of(prepared.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        Map<String, String> variables = new HashMap<>();
        JsonNode envVars = json.readTree(envFile.toFile());
        envVars.get("Parameters").fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
        migrationEnvironment.putAll(variables);
        envVars.path("MigrationFunction").fields().forEachRemaining(e -> migrationEnvironment.put(e.getKey(), e.getValue().asText()));
        // Each database function logs in as its own role, as template.yaml has it in AWS (its entry overrides
        // Parameters' master login); every replay below then runs on that role's grants.
        Map<String, String> roleOf = Map.of("OperatorFunction", "OPERATOR", "StatusFunction", "STATUS",
                "IntegrationFunction", "INTEGRATION", "DispatcherFunction", "DISPATCHER");
        roleOf.forEach((function, role) -> assertEquals(migrationEnvironment.get(role + "_DATABASE_SECRET_ARN"),
                envVars.path(function).path("DATABASE_SECRET_ARN").asText(null), function + "'s database secret"));
        migrationEnvironment.put("AWS_REGION", "eu-west-1");
        Map<String, String> secretsEnv = new HashMap<>(variables);
        secretsEnv.put("AWS_REGION", "eu-west-1");
        secrets = RuntimeSecrets.load(secretsEnv);
        Map<String, Object> p = new HashMap<>(secrets);
        p.put("datasources.default.url", variables.get("JDBC_URL"));
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("dynamodb.endpoint", variables.get("DYNAMODB_ENDPOINT"));
        p.put("dynamodb.region", "eu-west-1");
        p.put("dynamodb.tables.integration", variables.get("INTEGRATION_TABLE"));
        p.put("dynamodb.tables.distributions", variables.get("DISTRIBUTIONS_TABLE"));
        p.put("node.id", variables.get("NODE_ID"));
        p.put("node.shutdown-grace", GRACE);
        stores = ApplicationContext.builder().environments("admin").properties(p).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
        Result stopped = script(Duration.ofMinutes(2), "stop");
        assertEquals(0, stopped.exit(), stopped.err());
    }

    /** Every functions/NAME/events/*.json, through sam local invoke, as the handler tests expect them. */
    @Test
    @Order(1)
    void everyEventOfEveryFunctionThroughSamLocalInvoke() throws Exception {
        List<String> modules;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("functions"))) {
            modules = dirs.filter(d -> Files.isDirectory(d.resolve("events"))).map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertFalse(modules.isEmpty());
        // The order of EventReplays.ALL: the migrations first (the deploy step), the dispatcher before any distributor
        // (whose webhook is on the internet) exists.
        List<EventReplays.Replay> replays = new ArrayList<>();
        for (EventReplays.Replay replay : EventReplays.ALL) {
            if (modules.contains(replay.module())) {
                replays.add(replay);
            }
        }
        // a function with events/ but no declared expectations fails here, unless excluded with its reason
        for (String module : modules) {
            String reason = EventReplays.NOT_THROUGH_SAM_LOCAL.get(module);
            if (reason != null) {
                System.out.println("sam local invoke: functions/" + module + "/events/ not replayed: " + reason);
            } else {
                EventReplays.of(module);
            }
        }
        List<String> timings = new ArrayList<>();
        long started = System.nanoTime();
        int[] count = {0};
        for (EventReplays.Replay replay : replays) {
            replay.replay(new EventReplays.Stores(stores, LocalSettings.TENANT, migrationEnvironment), ROOT.resolve("functions").resolve(replay.module()).resolve("events"),
                    (file, event) -> {
                        long t = System.nanoTime();
                        String answer = invoke(replay.function(file), file, event);
                        count[0]++;
                        timings.add(replay.function(file) + " " + file + " " + (System.nanoTime() - t) / 1_000_000 + " ms");
                        return answer;
                    });
        }
        long totalMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println("sam local invoke: " + count[0] + " invocations in " + totalMs + " ms");
        timings.forEach(t -> System.out.println("  " + t));
        long files = 0;
        for (String module : modules) {
            if (EventReplays.NOT_THROUGH_SAM_LOCAL.containsKey(module)) {
                continue;
            }
            try (Stream<Path> events = Files.list(ROOT.resolve("functions").resolve(module).resolve("events"))) {
                files += events.filter(f -> f.toString().endsWith(".json")).count();
            }
        }
        assertTrue(count[0] >= files, count[0] + " invocations for " + files + " event files");
    }

    /** One round trip per API group through sam local start-api, on warm containers that stay on loopback. */
    @Test
    @Order(2)
    void startApiAnswersEveryApiGroupOnLoopbackOnly() throws Exception {
        Map<String, String> startEnv = new LinkedHashMap<>(env);
        startEnv.put("WARM_CONTAINERS", "LAZY");
        Path log = Files.createTempFile("sam-start-api", ".log");
        Process api = process(startEnv, log, "start-api");
        try {
            waitForPort(api, log);
            String base = "http://127.0.0.1:" + port;
            String node = stores.getRequiredProperty("node.id", String.class);

            HttpResponse<String> status = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status")).GET());
            assertEquals(200, status.statusCode(), status.body());
            assertEquals(node, json.readTree(status.body()).path("id").asText());

            String operatorSecret = (String) secrets.get("operator.hmac-secret");
            HttpResponse<String> stopApi = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stop-api"))
                    .header("Authorization", "Bearer " + OperatorTokens.cli(operatorSecret, "/api/v1/stop-api", Map.of()))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, stopApi.statusCode(), stopApi.body());
            HttpResponse<String> startApi = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/start-api"))
                    .header("Authorization", "Bearer " + OperatorTokens.cli(operatorSecret, "/api/v1/start-api", Map.of()))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, startApi.statusCode(), startApi.body());

            HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/integration/auth/authenticate"))
                    .header("X-Target-Server", "authentication").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"dev-api-key\",\"secret_key\":\"dev-api-secret-change-me\"}")));
            assertEquals(200, login.statusCode(), login.body());
            // (the events replayed before may have deleted the default node: the round trip spends the refresh token instead)
            String refreshToken = json.readTree(login.body()).path("refresh_token").asText();
            HttpResponse<String> refreshed = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/integration/auth/refresh"))
                    .header("X-Target-Server", "authentication").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken + "\"}")));
            assertEquals(200, refreshed.statusCode(), refreshed.body());
            assertFalse(json.readTree(refreshed.body()).path("access_token").asText().isEmpty(), refreshed.body());

            String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
            String token = DistributionTokens.signedWith((String) secrets.get("auth.jwt-secret"))
                    .issue("dev-user", DistributionTokens.SCOPES, List.of(workspace), Duration.ofMinutes(10));
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/workspaces/" + workspace + "/distributions"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"My Distribution\",\"scope\":\"WORKSPACE\",\"identifier\":\"my-distribution\"}")));
            assertEquals(201, created.statusCode(), created.body());

            assertOnLoopbackOnly();
        } finally {
            Result stopped = script(Duration.ofMinutes(2), "stop");
            assertEquals(0, stopped.exit(), stopped.err());
            api.waitFor(60, TimeUnit.SECONDS);
            api.destroy();
        }
    }

    /**
     * SAM's containers of this run: host network, no published port; every socket their emulator
     * listens on is on 127.0.0.1.
     */
    private void assertOnLoopbackOnly() throws Exception {
        String ids = run(List.of("docker", "ps", "-q", "--no-trunc")).strip();
        List<String> containers = ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
        assertFalse(containers.isEmpty(), "start-api has warm containers");
        for (String id : containers) {
            JsonNode inspect = json.readTree(run(List.of("docker", "inspect", id))).get(0);
            assertEquals("host", inspect.path("HostConfig").path("NetworkMode").asText(), id);
            JsonNode bindings = inspect.path("HostConfig").path("PortBindings");
            assertTrue(bindings.isMissingNode() || bindings.isNull() || bindings.isEmpty(), id + " publishes " + bindings);
            JsonNode ports = inspect.path("NetworkSettings").path("Ports");
            assertTrue(ports.isMissingNode() || ports.isNull() || ports.isEmpty(), id + " publishes " + ports);
        }
        List<String> emulatorSockets = run(List.of("ss", "-Hltnp")).lines().filter(l -> l.contains("aws-lambda-rie")).toList();
        assertFalse(emulatorSockets.isEmpty(), "the warm containers' emulators listen");
        for (String socket : emulatorSockets) {
            assertTrue(socket.split("\\s+")[3].startsWith("127.0.0.1:"), "emulator socket not on loopback: " + socket);
        }
        System.out.println("loopback only: " + containers.size() + " containers on the host network, no published ports, "
                + emulatorSockets.size() + " emulator sockets on 127.0.0.1");
    }

    private String invoke(String function, String file, String event) {
        try {
            Path eventFile = Files.createTempFile("sam-event-", "-" + file);
            Files.writeString(eventFile, event);
            Map<String, String> invokeEnv = new LinkedHashMap<>(env);
            invokeEnv.put("RESIGN_EVENTS", "false"); // the replay signed it already, with the stores' secrets
            Result result = script(invokeEnv, Duration.ofMinutes(3), "invoke", function, eventFile.toString());
            Files.delete(eventFile);
            if (result.exit() != 0) {
                fail(function + " " + file + ": sam local invoke failed (exit " + result.exit() + "):\n" + tail(result.err()));
            }
            String answer = result.out().strip();
            return answer.substring(answer.lastIndexOf("\n") + 1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void waitForPort(Process api, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!api.isAlive()) {
                    fail("sam-local.sh start-api exited " + api.exitValue() + ":\n" + tail(Files.readString(log)));
                }
                Thread.sleep(500);
            }
        }
        fail("sam-local.sh start-api did not open port " + port + ":\n" + tail(Files.readString(log)));
    }

    record Result(int exit, String out, String err) {
    }

    private Result script(Duration timeout, String... args) throws IOException {
        return script(env, timeout, args);
    }

    private Result script(Map<String, String> environment, Duration timeout, String... args) throws IOException {
        Path out = Files.createTempFile("sam-local", ".out");
        Path err = Files.createTempFile("sam-local", ".err");
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("sam-local.sh " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + tail(Files.readString(err)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    private Process process(Map<String, String> environment, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), command + ": " + output);
        return output;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
