package io.contentplane.bench;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributions baseline does the function's work, no less and no more: the function jar
 * template.yaml deploys (in a class loader of its own, as WarmBench loads it) and
 * BareDistributionsHandler answer the same events on the same stored distribution, the one the
 * cold-start benchmark seeds, with the same status, body and WWW-Authenticate challenge, and the
 * same DynamoDB round trips, counted by a relay in front of DynamoDB Local.
 * <p>
 * Needs functions/distributions/target/distributions.jar, which the reactor packages before this
 * module's tests ({@code mvn verify}); without it the test is skipped.
 */
class DistributionsBaselineMatchesFunctionIT {
    private static final Path REPO = Path.of("../..");
    private static final String TABLE = "bench-distributions-test";
    private static final byte[] SECRET = ColdStartBench.AUTH_JWT_SECRET.getBytes(StandardCharsets.UTF_8);
    private static final List<String> ALL_SCOPES = List.of("DISTRIBUTION_INFO", "DISTRIBUTION_ADD", "DISTRIBUTION_MANAGE");
    private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

    private static DynamoDBProxyServer dynamoDbLocal;
    private static CountingDynamoDbProxy relay;
    private static LoadedHandler function;
    private static LoadedHandler baseline;
    private static Path eventTemplate;

    /** A handler's answer and the DynamoDB operations it took. */
    record Answer(int status, JsonNode body, String challenge, List<String> operations) {
    }

    @BeforeAll
    static void start() throws Exception {
        ColdStartBench.Target target = ColdStartBench.targets(REPO).stream()
                .filter(t -> t.name().equals("distributions")).findFirst().orElseThrow();
        // An integration test (failsafe, after the reactor packaged the function jars): the jar is there.
        assertTrue(Files.isRegularFile(target.jar()), target.jar() + " is not built (mvn -B verify builds it first)");
        eventTemplate = REPO.resolve("functions/distributions/events/distributions-get.json");

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dynamoDbLocal = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        dynamoDbLocal.start();
        String direct = "http://localhost:" + port;
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(direct))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            ColdStartBench.prepareDistributions(dynamo, TABLE);
        }
        relay = new CountingDynamoDbProxy(direct);

        // The baseline reads the environment's names (or system properties of those names, see
        // Baselines.requiredEnv); the function Micronaut's property names, from system properties.
        PROPERTIES.put("AUTH_JWT_SECRET", ColdStartBench.AUTH_JWT_SECRET);
        PROPERTIES.put("DISTRIBUTIONS_TABLE", TABLE);
        PROPERTIES.put("DYNAMODB_ENDPOINT", relay.endpoint());
        PROPERTIES.put("AWS_REGION", "eu-west-1");
        PROPERTIES.put("auth.jwt-secret", ColdStartBench.AUTH_JWT_SECRET);
        PROPERTIES.put("dynamodb.tables.distributions", TABLE);
        PROPERTIES.put("dynamodb.endpoint", relay.endpoint());
        PROPERTIES.put("dynamodb.region", "eu-west-1");
        PROPERTIES.forEach(System::setProperty);

        ClassLoader own = Thread.currentThread().getContextClassLoader();
        try {
            function = new LoadedHandler(new URLClassLoader("distributions", new URL[] {target.jar().toUri().toURL()},
                    ClassLoader.getPlatformClassLoader()), target.handler());
            baseline = new LoadedHandler(DistributionsBaselineMatchesFunctionIT.class.getClassLoader(), target.baseline());
        } finally {
            Thread.currentThread().setContextClassLoader(own);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ClassLoader own = Thread.currentThread().getContextClassLoader();
        try {
            if (function != null) {
                function.close();
            }
        } finally {
            Thread.currentThread().setContextClassLoader(own);
            PROPERTIES.keySet().forEach(System::clearProperty);
            if (relay != null) {
                relay.close();
            }
            if (dynamoDbLocal != null) {
                dynamoDbLocal.stop();
            }
        }
    }

    @Test
    void theBenchmarksReadGetsTheSameAnswerFromOneQuery() throws Exception {
        String event = ColdStartBench.distributionGetEvent(eventTemplate);

        Answer fromFunction = answer(function, event);
        Answer fromBaseline = answer(baseline, event);

        assertEquals(200, fromFunction.status(), fromFunction.body().toString());
        assertEquals(List.of("Query"), fromFunction.operations());
        assertEquals(fromFunction, fromBaseline);
        // the seeded routes, in creation order (their sort keys are in another order), with every kind of target
        List<String> hosts = new ArrayList<>();
        fromFunction.body().get("routes").forEach(r -> hosts.add(r.get("subdomain").asText()));
        assertEquals(List.of("testing3", "tunnel", "asdf"), hosts);
        assertEquals("TUNNEL", fromFunction.body().at("/routes/1/targets/Default/type").asText());
        assertEquals(3, fromFunction.body().at("/routes/2/targets").size());
        assertEquals("MANAGE", fromFunction.body().at("/permissions/users/0/access_level").asText());
    }

    @Test
    void theBodiesAreTheSameText() throws Exception {
        String event = ColdStartBench.distributionGetEvent(eventTemplate);

        assertEquals(body(function.respond(function.event(event))), body(baseline.respond(baseline.event(event))));
    }

    @Test
    void refusalsAndMissesAreAnsweredAlike() throws Exception {
        long now = Instant.now().getEpochSecond();
        String valid = ColdStartBench.distributionsToken("user-1", ALL_SCOPES, List.of("my-workspace"), SECRET, now);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("no token", event(null, "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("another scheme", event("Basic " + valid, "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("expired", event("Bearer " + ColdStartBench.distributionsToken("user-1", ALL_SCOPES,
                List.of("my-workspace"), SECRET, now - 7200), "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("integration token", event("Bearer " + ColdStartBench.accessToken("key-1", "tenant-1", "v1", SECRET, now),
                "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("another workspace's token", event("Bearer " + ColdStartBench.distributionsToken("user-1", ALL_SCOPES,
                List.of("other-workspace"), SECRET, now), "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("without DISTRIBUTION_INFO", event("Bearer " + ColdStartBench.distributionsToken("user-1",
                List.of("DISTRIBUTION_MANAGE"), List.of("my-workspace"), SECRET, now), "my-workspace", ColdStartBench.DISTRIBUTION_ID));
        cases.put("no such distribution", event("Bearer " + valid, "my-workspace", "zzzzzzzz"));
        cases.put("not an id", event("Bearer " + valid, "my-workspace", "rm1P93j"));
        Map<String, List<String>> roundTrips = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Answer fromFunction = answer(function, c.getValue());
            Answer fromBaseline = answer(baseline, c.getValue());

            assertTrue(fromFunction.status() == 401 || fromFunction.status() == 403 || fromFunction.status() == 404,
                    c.getKey() + ": " + fromFunction);
            assertEquals(fromFunction, fromBaseline, c.getKey());
            roundTrips.put(c.getKey(), fromFunction.operations());
        }
        // only a well-formed id within the caller's workspace reaches the store
        for (Map.Entry<String, List<String>> trips : roundTrips.entrySet()) {
            assertEquals(trips.getKey().equals("no such distribution") ? List.of("Query") : List.of(), trips.getValue(),
                    trips.getKey());
        }
    }

    /** The sample event for {@code workspace} and {@code id}, with {@code authorization} (or none). */
    private static String event(String authorization, String workspace, String id) throws IOException {
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(eventTemplate.toFile());
        String path = "/workspaces/" + workspace + "/distributions/" + id;
        event.put("path", path);
        event.with("pathParameters").put("workspace", workspace).put("id", id);
        event.with("requestContext").put("path", "/prod" + path);
        event.with("headers").remove("Authorization");
        event.with("multiValueHeaders").remove("Authorization");
        if (authorization != null) {
            event.with("headers").put("Authorization", authorization);
            event.with("multiValueHeaders").putArray("Authorization").add(authorization);
        }
        return event.toString();
    }

    private static Answer answer(LoadedHandler handler, String event) throws Exception {
        Object request = handler.event(event);
        relay.reset();
        Object response = handler.respond(request);
        List<String> operations = relay.operations();
        int status = (Integer) response.getClass().getMethod("getStatusCode").invoke(response);
        return new Answer(status, Baselines.JSON.readTree(body(response)), header(response, "WWW-Authenticate"), operations);
    }

    private static String body(Object response) throws ReflectiveOperationException {
        return (String) response.getClass().getMethod("getBody").invoke(response);
    }

    /** A response header, from the single- or the multi-value map, whatever its case. */
    @SuppressWarnings("unchecked")
    private static String header(Object response, String name) throws ReflectiveOperationException {
        Map<String, String> single = (Map<String, String>) response.getClass().getMethod("getHeaders").invoke(response);
        if (single != null) {
            for (Map.Entry<String, String> h : single.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
        }
        Map<String, List<String>> multi = (Map<String, List<String>>) response.getClass().getMethod("getMultiValueHeaders")
                .invoke(response);
        if (multi != null) {
            for (Map.Entry<String, List<String>> h : multi.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return h.getValue().get(0);
                }
            }
        }
        return null;
    }
}
