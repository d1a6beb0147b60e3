package io.contentplane.local;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runner over real HTTP (Netty), as the README's curl examples use it. */
class LocalRunnerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> send(String method, int port, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOperatorAndStatusAndKeepsStateAcrossRestarts(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(port), "DATA_DIR", dataDir.toString()));
        LocalSettings settings = LocalSettings.from(env::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            assertEquals(200, send("GET", port, "/api/v1/status", null, null).statusCode());
            // the Argus CLI's request: lower-case bearer, no body, no content type
            String token = LocalRunner.token(settings, new String[]{"/api/v1/stop-api"});
            HttpResponse<String> stop = send("POST", port, "/api/v1/stop-api", "bearer " + token, null);
            assertEquals(200, stop.statusCode(), stop.body());
            assertEquals("", stop.body());
            HttpResponse<String> status = send("GET", port, "/api/v1/status", null, null);
            assertEquals(503, status.statusCode());
            assertEquals("30", status.headers().firstValue("Retry-After").orElseThrow());
            String setWorker = LocalRunner.token(settings, new String[]{"/api/v1/set-worker", "{\"workerId\": 5}"});
            assertEquals(200, send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, "{\"workerId\": 5}").statusCode());
            // integration API on DynamoDB Local: the seeded key, then the seed's distributor on the default node
            HttpRequest auth = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/integration/auth/authenticate"))
                    .header("X-Target-Server", "authentication").header("Api-Key", "dev-api-key")
                    .header("Api-Secret", "dev-api-secret-change-me").POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> tokens = http.send(auth, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, tokens.statusCode(), tokens.body());
            String access = tokens.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpRequest create = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/integration/distributors/nodes/" + LocalSettings.DEFAULT_NODE_ID))
                    .header("X-Target-Server", "integration").header("Authorization", "Bearer " + access)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"meta\":{\"host\":\"https://example.com\",\"path\":\"/webhook\","
                            + "\"method\":1,\"authentication\":{\"type\":1,\"username\":\"user\",\"password\":\"pass\"}}}")).build();
            HttpResponse<String> created = http.send(create, HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(created.body().contains("\"method\":\"GET\""), created.body());
            // the Apex error shape over Netty as on Lambda: unknown path, wrong method (with Allow), a 20 kB bearer,
            // a distributions token (same platform key, other audience)
            HttpResponse<String> unknown = send("GET", port, "/api/v1/integration/unknown", null, null);
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().startsWith("{\"error\":{\"code\":\"NOT_FOUND\""), unknown.body());
            HttpResponse<String> patch = send("PATCH", port, "/api/v1/integration/distributors/nodes/" + LocalSettings.DEFAULT_NODE_ID,
                    "Bearer " + access, "{}");
            assertEquals(405, patch.statusCode(), patch.body());
            assertTrue(patch.body().startsWith("{\"error\":{\"code\":\"METHOD_NOT_ALLOWED\""), patch.body());
            assertTrue(patch.headers().firstValue("Allow").orElse("").contains("POST"), patch.headers().toString());
            HttpResponse<String> huge = send("GET", port, "/api/v1/integration/nodes/" + LocalSettings.DEFAULT_NODE_ID,
                    "Bearer " + "x".repeat(20_000), null);
            assertEquals(413, huge.statusCode(), huge.body());
            assertTrue(huge.body().startsWith("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\""), huge.body());
            HttpRequest otherAudience = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/integration/nodes/" + LocalSettings.DEFAULT_NODE_ID))
                    .header("X-Target-Server", "integration")
                    .header("Authorization", "Bearer " + LocalRunner.distributionsToken(settings, "my-workspace")).GET().build();
            HttpResponse<String> refused = http.send(otherAudience, HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("{\"error\":{\"code\":\"UNAUTHORIZED\""), refused.body());
            // distributions API with the printed development token: the seed's first example
            String distributions = LocalRunner.distributionsToken(settings, "my-workspace");
            HttpResponse<String> distribution = send("POST", port, "/workspaces/my-workspace/distributions", "Bearer " + distributions,
                    "{\"name\":\"My Distribution\",\"scope\":\"WORKSPACE\",\"identifier\":\"my-distribution\"}");
            assertEquals(201, distribution.statusCode(), distribution.body());
            assertTrue(distribution.body().contains("\"url\":\"http://localhost:" + port + "/workspaces/my-workspace/distributions/"),
                    distribution.body());
            HttpResponse<String> unauthorized = send("POST", port, "/api/v1/start-api", "Bearer " + setWorker, null);
            assertEquals(401, unauthorized.statusCode());
            assertTrue(unauthorized.body().contains("\"type\":\"request_validation\""), unauthorized.body());
        }
        assertTrue(Files.exists(dataDir.resolve("h2")));
        // a second start on the same data directory finds the node as it was left
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            HttpResponse<String> status = send("GET", port, "/api/v1/status", null, null);
            assertEquals(503, status.statusCode(), status.body());
            String start = LocalRunner.token(settings, new String[]{"/api/v1/start-api"});
            assertEquals(200, send("POST", port, "/api/v1/start-api", "bearer " + start, null).statusCode());
            HttpResponse<String> buckets = send("GET", port, "/api/v1/buckets", null, null);
            assertEquals("{\"allByWorkerId\":5}", buckets.body());
        }
    }

    /**
     * On Netty, in the one context that serves every API, the Argus APIs answer as in their Lambda:
     * the operator's raw body is read before security (reqBody compared, 413 over 100 kB), every
     * failure in Argus's shape, 405 with Allow; the public API needs no token; tokens of the other
     * APIs are refused.
     */
    @Test
    void argusErrorsOnNetty() throws Exception {
        int port = freePort();
        LocalSettings settings = LocalSettings.from(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true")::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            String setWorker = LocalRunner.token(settings, new String[]{"/api/v1/set-worker", "{\"workerId\": 2}"});
            // the body as sent is what the token signed, key order and spacing aside
            assertEquals(200, send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, "{ \"workerId\" : 2.0 }").statusCode());
            assertArgus(send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, "{\"workerId\": 3}"), 401,
                    "Invalid token: req.body mismatch");
            assertArgus(send("POST", port, "/api/v1/set-worker", null, "{\"workerId\": 3}"), 401, "Authorization token is missing");
            String big = "{\"workerId\": 1, \"pad\": \"" + "x".repeat(120_000) + "\"}";
            assertArgus(send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, big), 413, "request entity too large (limit 100kb)");
            assertArgus(send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, "{\"workerId\": "), 400, "Request body is not valid JSON");
            String invalid = LocalRunner.token(settings, new String[]{"/api/v1/set-worker", "{\"workerId\": -1}"});
            HttpResponse<String> refused = send("POST", port, "/api/v1/set-worker", "Bearer " + invalid, "{\"workerId\": -1}");
            assertArgus(refused, 400, "request.body.workerId must be >= 0");
            assertTrue(refused.body().contains("\"errorCode\":\"minimum.openapi.validation\""), refused.body());
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> wrong = send(method, port, "/api/v1/stop-api", null, null);
                assertArgus(wrong, 405, method + " method not allowed");
                assertEquals("POST", wrong.headers().firstValue("Allow").orElseThrow());
            }
            assertArgus(send("GET", port, "/api/v1/no-such-thing", null, null), 404, "not found");
            HttpRequest textPlain = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/set-worker"))
                    .header("Content-Type", "text/plain").header("Authorization", "Bearer " + setWorker)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"workerId\": 2}")).build();
            assertArgus(http.send(textPlain, HttpResponse.BodyHandlers.ofString()), 415, "unsupported media type text/plain");
            HttpRequest hugeHeader = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/stop-api"))
                    .header("Authorization", "Bearer " + "x".repeat(20_000)).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> tooLong = http.send(hugeHeader, HttpResponse.BodyHandlers.ofString());
            assertTrue(tooLong.statusCode() == 413 || tooLong.statusCode() == 431, tooLong.statusCode() + " " + tooLong.body());
            // a distributions token (platform key) is no operator token; the public API needs none
            String distributions = LocalRunner.distributionsToken(settings, "my-workspace");
            assertArgus(send("POST", port, "/api/v1/stop-api", "Bearer " + distributions, null), 401, null);
            assertEquals(200, send("GET", port, "/api/v1/status", "Bearer " + distributions, null).statusCode());
            assertEquals(200, send("GET", port, "/api/v1/nodes/" + LocalSettings.DEFAULT_NODE_ID + "/buckets", null, null).statusCode());
        }
    }

    private static void assertArgus(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"type\":\"request_validation\""), response.body());
        if (message != null) {
            assertTrue(response.body().contains("\"message\":\"" + message.replace("\"", "\\\"") + "\""), response.body());
        }
    }

    /**
     * The distributions API over Netty answers its errors in Buddy's shape as the Lambda does,
     * including the ones Netty decides before any route: a 20 kB bearer token (413 from the
     * header limit) and a body over the API's 64 kB.
     */
    @Test
    void distributionsErrorsOverHttpHaveBuddysShape(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(port), "DATA_DIR", dataDir.toString(),
                "IN_MEMORY", "true"));
        LocalSettings settings = LocalSettings.from(env::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            String token = "Bearer " + LocalRunner.distributionsToken(settings, "my-workspace");
            String list = "/workspaces/my-workspace/distributions";
            assertBuddyError(send("GET", port, list, null, null), 401);
            assertBuddyError(send("PUT", port, list, token, "{}"), 405);
            assertBuddyError(send("GET", port, "/workspaces/my-workspace/nothing", token, null), 404);
            assertBuddyError(send("GET", port, "/workspaces/other/distributions", token, null), 404);
            assertBuddyError(send("POST", port, list, token, "{\"name\":"), 400);
            assertBuddyError(send("POST", port, list, token, "{\"name\":\"" + "n".repeat(70_000) + "\"}"), 413);
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + list))
                    .header("Authorization", token).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertBuddyError(plain, 415);
            HttpResponse<String> huge = send("GET", port, list, token + "x".repeat(20_000), null);
            assertBuddyError(huge, 413);
            assertEquals(200, send("GET", port, list, token, null).statusCode());
        }
    }

    private static void assertBuddyError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().matches("\\{\"errors\":\\[\\{\"message\":\"[^\"]+\"}(,\\{\"message\":\"[^\"]+\"})*]}"),
                response.body());
    }

    /**
     * Ready before serving: a client that polls the port from the first millisecond gets, as its very
     * first answer, the real one (the default node registered, the seeded key stored), never a 404.
     */
    @Test
    void theFirstAnswerOnThePortIsTheRealOne() throws Exception {
        int port = freePort();
        LocalSettings settings = LocalSettings.from(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true")::get);
        java.util.concurrent.CompletableFuture<LocalRunner.LocalServer> starting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> LocalRunner.serve(settings));
        HttpResponse<String> first = null;
        int refused = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (first == null && System.nanoTime() < deadline) {
            try {
                first = send("GET", port, "/api/v1/status", null, null);
            } catch (java.io.IOException notListeningYet) {
                refused++;
                Thread.sleep(1);
            }
        }
        try (LocalRunner.LocalServer ignored = starting.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
            assertTrue(refused > 0, "the poll started before the port opened");
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"id\":\"" + settings.nodeId() + "\""), first.body());
        }
    }

    @Test
    void signEventRefreshesTheTokenOfAnEventFile(@TempDir Path dir) throws Exception {
        LocalSettings settings = LocalSettings.from(Map.of("IN_MEMORY", "true")::get);
        Path event = dir.resolve("e.json");
        Files.writeString(event, "{\"path\":\"/api/v1/set-worker\",\"httpMethod\":\"POST\",\"body\":\"{\\\"workerId\\\":0}\","
                + "\"headers\":{\"Authorization\":\"bearer old\"},\"multiValueHeaders\":{\"Authorization\":[\"bearer old\"]}}");
        String signed = LocalRunner.signEvent(settings, new String[]{"sign-event", event.toString()}, Map.<String, String>of()::get);
        assertTrue(signed.contains("\"authorization\":\"bearer ey"), signed);
        assertTrue(!signed.contains("bearer old"), signed);
    }

    @Test
    void signEventSignsEachApiWithItsOwnKindOfToken() throws Exception {
        LocalSettings settings = LocalSettings.from(Map.of("IN_MEMORY", "true")::get);
        Path root = Path.of("../..");
        // the access token carries the stored key's version: the key in a table, as sam-local.sh's stores hold it
        Map<String, Object> dynamo = TestDynamo.properties();
        String table = (String) dynamo.get("dynamodb.tables.integration");
        Map<String, String> env = Map.of("INTEGRATION_TABLE", table, "DYNAMODB_ENDPOINT", (String) dynamo.get("dynamodb.endpoint"));
        assertThrows(IllegalArgumentException.class, () -> LocalRunner.signEvent(settings, new String[]{"sign-event",
                root.resolve("functions/integration/events/nodes-get.json").toString()}, Map.<String, String>of()::get));
        String version;
        try (ApplicationContext context = ApplicationContext.builder().environments("admin")
                .properties(Map.of("dynamodb.endpoint", dynamo.get("dynamodb.endpoint"), "dynamodb.region", "eu-west-1",
                        "dynamodb.tables.integration", table, "datasources.default.url", "jdbc:h2:mem:sign-event",
                        "datasources.default.dialect", "H2")).start()) {
            context.getBean(io.contentplane.domain.dynamo.IntegrationTable.class)
                    .create(context.getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class));
            ApiKeyStore keys = context.getBean(ApiKeyStore.class);
            keys.put(settings.integrationApiKey(), settings.integrationApiSecret(), LocalSettings.TENANT);
            version = keys.verify(settings.integrationApiKey(), settings.integrationApiSecret()).orElseThrow().version();
        }
        String integration = LocalRunner.signEvent(settings, new String[]{"sign-event",
                root.resolve("functions/integration/events/nodes-get.json").toString()}, env::get);
        String access = integration.replaceAll("(?s).*\"authorization\":\"Bearer ([^\"]+)\".*", "$1");
        Map<String, Object> claims = io.micronaut.json.JsonMapper.createDefault().readValue(
                java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1]), io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        assertEquals("integration", claims.get("aud"), claims.toString());
        assertEquals(settings.integrationApiKey(), claims.get("sub"));
        assertEquals(LocalSettings.TENANT, claims.get("tenant"));
        assertEquals(version, claims.get("kv"), claims.toString());
        assertTrue(((Number) claims.get("exp")).longValue() > System.currentTimeMillis() / 1000, claims.toString());

        String distributions = LocalRunner.signEvent(settings, new String[]{"sign-event",
                root.resolve("functions/distributions/events/distributions-get.json").toString()}, env::get);
        String token = distributions.replaceAll("(?s).*\"authorization\":\"Bearer ([^\"]+)\".*", "$1");
        assertEquals(LocalRunner.distributionsToken(settings, "my-workspace").split("\\.")[0], token.split("\\.")[0]);
        assertTrue(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])).contains("\"workspaces\":[\"my-workspace\"]"));

        // an event without a token (the public status API) stays without one
        String status = LocalRunner.signEvent(settings, new String[]{"sign-event",
                root.resolve("functions/status/events/status.json").toString()}, env::get);
        assertTrue(!status.toLowerCase(java.util.Locale.ROOT).contains("\"authorization\""), status);

        // nor does a CloudFormation custom-resource event (the migration function's): it passes through as it is
        Path create = root.resolve("functions/migrate/events/create.json");
        String migrate = LocalRunner.signEvent(settings, new String[]{"sign-event", create.toString()}, env::get);
        com.fasterxml.jackson.databind.ObjectMapper tree = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(tree.readTree(create.toFile()), tree.readTree(migrate));
    }

    @Test
    void migrateCreatesTheSchemaOnPostgresAndRegistersTheNodeOnce() throws Exception {
        Map<String, Object> pg = TestDatabases.postgres();
        Map<String, String> env = Map.of(
                "JDBC_URL", (String) pg.get("datasources.default.url"),
                "JDBC_USER", (String) pg.get("datasources.default.username"),
                "JDBC_PASSWORD", (String) pg.get("datasources.default.password"),
                "OPERATOR_HMAC_SECRET", "aws-secret");
        LocalSettings settings = LocalSettings.from(env::get);
        LocalRunner.migrate(settings, env);
        LocalRunner.migrate(settings, env); // a second deploy changes nothing
        try (Connection c = DriverManager.getConnection(env.get("JDBC_URL"), env.get("JDBC_USER"), env.get("JDBC_PASSWORD"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT param_name, param_value FROM node_parameter WHERE node_id = '"
                     + LocalSettings.DEFAULT_NODE_ID + "' ORDER BY param_name")) {
            Map<String, String> rows = new HashMap<>();
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2));
            }
            assertEquals(6, rows.size(), rows.toString()); // api_state, lifecycle, worker_id, buckets, data_plane, operator_secret
            assertEquals("STARTED", rows.get("api_state"));
            assertTrue(rows.get("operator_secret").startsWith("v1:"));
            assertTrue(!rows.get("operator_secret").contains("aws-secret"));
        }
    }

    /**
     * Without LocalStack the runner delivers webhooks on its embedded SQS engine, as in AWS: a distributor's
     * creation and a set-worker reach a receiver on loopback, signed with the distributor's signing secret,
     * each recorded as delivered; a redelivery sends the event again.
     */
    @Test
    void deliversWebhooksOnTheEmbeddedStores() throws Exception {
        BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> call = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> call.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            call.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(call);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        int port = freePort();
        LocalSettings settings = LocalSettings.from(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true",
                "ALLOW_INSECURE_WEBHOOKS", "true")::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            HttpRequest auth = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/integration/auth/authenticate"))
                    .header("X-Target-Server", "authentication").header("Api-Key", "dev-api-key")
                    .header("Api-Secret", "dev-api-secret-change-me").POST(HttpRequest.BodyPublishers.noBody()).build();
            String access = http.send(auth, HttpResponse.BodyHandlers.ofString()).body()
                    .replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            String apex = "http://localhost:" + port + "/api/v1/integration/distributors";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(apex + "/nodes/" + LocalSettings.DEFAULT_NODE_ID))
                    .header("X-Target-Server", "integration").header("Authorization", "Bearer " + access)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"meta\":{\"host\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                            + "\",\"path\":\"/hook\",\"method\":2,\"authentication\":{\"type\":2,\"token\":\"hook-token\"}}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String distributor = created.body().replaceAll("^\\{\"id\":\"([^\"]+)\".*", "$1");
            String secret = http.send(HttpRequest.newBuilder(URI.create(apex + "/" + distributor + "/signing-secret"))
                            .header("X-Target-Server", "integration").header("Authorization", "Bearer " + access).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"secret\":\"([^\"]+)\".*", "$1");
            String setWorker = LocalRunner.token(settings, new String[]{"/api/v1/set-worker", "{\"workerId\": 4}"});
            assertEquals(200, send("POST", port, "/api/v1/set-worker", "Bearer " + setWorker, "{\"workerId\": 4}").statusCode());

            Map<String, String> first = received.poll(30, TimeUnit.SECONDS);
            Map<String, String> second = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(second, "two webhooks within 30 s, got " + first);
            assertTrue(first.get("body").contains("\"type\":\"distributor.created\""), first.get("body"));
            assertTrue(second.get("body").contains("\"type\":\"node.worker.changed\""), second.get("body"));
            assertTrue(second.get("body").contains("\"worker_id\":4"), second.get("body"));
            for (Map<String, String> call : List.of(first, second)) {
                assertEquals("Bearer hook-token", call.get("authorization"));
                assertTrue(WebhookSignature.verify(secret, call.get("webhook-id"), call.get("webhook-timestamp"), call.get("body"),
                        call.get("webhook-signature")), call.toString());
            }

            String deliveries = awaitDeliveries(apex + "/" + distributor + "/deliveries", access, "\"state\":\"DELIVERED\"", 2);
            String workerEvent = second.get("webhook-id");
            assertTrue(deliveries.contains("\"id\":\"" + workerEvent + "\""), deliveries);
            HttpResponse<String> redeliver = http.send(HttpRequest.newBuilder(URI.create(apex + "/" + distributor + "/deliveries/"
                            + workerEvent + "/redeliver")).header("X-Target-Server", "integration")
                    .header("Authorization", "Bearer " + access).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, redeliver.statusCode(), redeliver.body());
            Map<String, String> again = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(again, "the redelivery within 30 s");
            assertEquals(workerEvent, again.get("webhook-id"));
            assertEquals(second.get("body"), again.get("body"));
        } finally {
            receiver.stop(0);
        }
    }

    /** The distributor's deliveries page once {@code count} of them are in {@code state}. */
    private String awaitDeliveries(String url, String access, String state, int count) throws Exception {
        String page = "";
        for (int i = 0; i < 150; i++) {
            page = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Target-Server", "integration")
                    .header("Authorization", "Bearer " + access).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            if (page.split(java.util.regex.Pattern.quote(state), -1).length - 1 >= count) {
                return page;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not " + count + " deliveries " + state + " in 30 s: " + page);
    }

    @Test
    void invalidPortIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.from(Map.of("PORT", "abc")::get));
        assertEquals("PORT must be a number, got 'abc'", e.getMessage());
    }
}
