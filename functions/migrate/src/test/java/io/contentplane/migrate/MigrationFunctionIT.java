package io.contentplane.migrate;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LocalStack;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration function as CloudFormation drives it: the custom-resource events of events/ (read by
 * the Lambda Java runtime's own deserializer), a real PostgreSQL, the secrets in LocalStack's Secrets
 * Manager (ARNs only in the environment, as template.yaml gives them) and a real HTTP server on
 * 127.0.0.1 in place of the pre-signed S3 ResponseURL, receiving the PUT.
 */
class MigrationFunctionIT {
    private static final String NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    private static final String OPERATOR_SECRET = "operator-hmac-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();
    private static HttpServer responses;
    private static SecretsManagerClient secrets;
    private static final Map<DatabaseRoles.Role, String> PASSWORDS = new EnumMap<>(DatabaseRoles.Role.class);

    /** The body of one PUT the fake ResponseURL received (what a PUT must look like: EventReplays' migrate replay). */
    record Received(Map<String, Object> body) {
    }

    @BeforeAll
    static void start() throws IOException {
        responses = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        responses.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.add(new Received(JSON.readValue(body, Argument.mapOf(String.class, Object.class))));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        responses.start();
        secrets = LocalStack.secretsManager();
        for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
            PASSWORDS.put(role, UUID.randomUUID().toString().replace("-", ""));
        }
    }

    @AfterAll
    static void stop() {
        responses.stop(0);
        secrets.close();
    }

    /**
     * events/ create, update and delete, in that order, answered and applied as {@link EventReplays} declares
     * (the PUT to the ResponseURL, the schema, the node, the roles' logins); functions/local SamLocalIT
     * replays the same through {@code sam local invoke}.
     */
    @Test
    void createMigratesRegistersTheNodeAndTheRolesThenUpdateAndDeleteKeepEverything() {
        Map<String, String> environment = environment(freshDatabase());
        MigrationFunction function = new MigrationFunction(environment);
        EventReplays.of("migrate").replay(new EventReplays.Stores(null, null, environment), Path.of("events"), (file, event) -> {
            try {
                return JSON.writeValueAsString(function.handleRequest(parse(event.getBytes(StandardCharsets.UTF_8)), context(300_000)));
            } catch (IOException e) {
                throw new AssertionError(file, e);
            }
        });
    }

    @Test
    void deleteNeverConnects() throws Exception {
        // A database that cannot be reached: Delete still succeeds, it has nothing to do there.
        MigrationFunction function = new MigrationFunction(environment("jdbc:postgresql://127.0.0.1:9/none"));
        function.handleRequest(event("delete.json"), context(300_000));
        Received deleted = received();
        assertEquals("SUCCESS", deleted.body().get("Status"));
        assertEquals("contentplane-database-migrations", deleted.body().get("PhysicalResourceId"));
    }

    @Test
    void aFailingMigrationAnswersFailedWithItsReason() throws Exception {
        String url = freshDatabase();
        MigrationFunction function = new MigrationFunction(environment(url));
        function.handleRequest(event("create.json"), context(300_000));
        assertEquals("SUCCESS", received().body().get("Status"));
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            // V2 (and V3 after it) pending again while what V2 creates exists: applying it now fails, as a migration that
            // meets an object it does not expect does.
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('2', '3')");
        }
        function.handleRequest(event("update.json"), context(300_000));
        Received failed = received();
        assertEquals("FAILED", failed.body().get("Status"));
        String reason = (String) failed.body().get("Reason");
        assertTrue(reason.startsWith("Migration failed: ") && reason.contains("V2__event_outbox.sql")
                && reason.contains("42P07") && reason.contains("\"event_outbox\" already exists"), reason);
        assertTrue(reason.endsWith("(log stream 2026/11/30/[$LATEST]0123456789abcdef)"), reason);
        assertEquals("contentplane-database-migrations", failed.body().get("PhysicalResourceId"), "the resource stays the same");
        String body = JSON.writeValueAsString(failed.body());
        assertFalse(body.contains(OPERATOR_SECRET) || PASSWORDS.values().stream().anyMatch(body::contains), "no secret in the answer");
        assertEquals(1, rows(url, "SELECT count(*) FROM flyway_schema_history WHERE success"),
                "the failed migration was rolled back, not recorded");
        assertEquals(6, rows(url, "SELECT count(*) FROM node_parameter WHERE node_id = '" + NODE + "'"), "no data lost");
    }

    @Test
    void aDatabaseWithForeignTablesIsRefusedNotTakenOver() throws Exception {
        String url = freshDatabase();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE node_parameter (unexpected INT)");
        }
        new MigrationFunction(environment(url)).handleRequest(event("create.json"), context(300_000));
        Received failed = received();
        assertEquals("FAILED", failed.body().get("Status"));
        assertTrue(((String) failed.body().get("Reason")).contains("non-empty schema(s) \"public\" but no schema history table"),
                (String) failed.body().get("Reason"));
        assertEquals("contentplane-database-migrations", failed.body().get("PhysicalResourceId"),
                "a physical id even when Create fails: CloudFormation then sends Delete for it, which keeps everything");
    }

    @Test
    void aRoleSecretOfAnotherUserFailsTheDeployNamingIt() throws Exception {
        String url = freshDatabase();
        Map<String, String> environment = new HashMap<>(environment(url));
        environment.put("STATUS_DATABASE_SECRET_ARN", secret("{\"username\":\"contentplane_operator\",\"password\":\""
                + PASSWORDS.get(DatabaseRoles.Role.OPERATOR) + "\"}"));
        new MigrationFunction(environment).handleRequest(event("create.json"), context(300_000));
        Received failed = received();
        assertEquals("FAILED", failed.body().get("Status"));
        String reason = (String) failed.body().get("Reason");
        assertTrue(reason.contains("STATUS_DATABASE_SECRET_ARN") && reason.contains("must have username 'contentplane_status'"), reason);
        assertFalse(reason.contains(PASSWORDS.get(DatabaseRoles.Role.OPERATOR)), reason);
    }

    @Test
    void aMigrationThatRunsOutOfTimeAnswersFailedBeforeLambdaStopsIt() throws Exception {
        String url = freshDatabase();
        MigrationFunction function = new MigrationFunction(environment(url));
        function.handleRequest(event("create.json"), context(300_000));
        assertEquals("SUCCESS", received().body().get("Status"));
        try (Connection lock = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE node_parameter IN ACCESS EXCLUSIVE MODE");
            // 2 s left after the reserve kept for the answer: registering the node waits for the lock.
            function.handleRequest(event("update.json"), context((int) MigrationFunction.ANSWER_RESERVE.toMillis() + 2_000));
            Received failed = received();
            assertEquals("FAILED", failed.body().get("Status"));
            assertTrue(((String) failed.body().get("Reason")).startsWith("Migration did not finish within the function's timeout"),
                    (String) failed.body().get("Reason"));
            lock.rollback();
        }
    }

    @Test
    void aDirectInvocationMigratesAndReturnsTheOutcome() throws Exception {
        String url = freshDatabase();
        Map<String, String> outcome = new MigrationFunction(environment(url)).handleRequest(
                new CloudFormationCustomResourceEvent(), context(300_000));
        assertEquals(TestDatabases.latestSchemaVersion(), outcome.get("SchemaVersion"));
        assertEquals(4, outcome.get("Roles").split(",").length);
        assertTrue(RECEIVED.isEmpty(), "no custom-resource answer without a request");
    }

    /** The environment template.yaml gives the function: the database's URL, the node id and secret ARNs only. */
    private static Map<String, String> environment(String url) {
        Map<String, String> variables = new HashMap<>();
        variables.put("JDBC_URL", url);
        variables.put("NODE_ID", NODE);
        variables.put("DATABASE_SECRET_ARN", secret("{\"username\":\"postgres\",\"password\":\"postgres\"}"));
        variables.put("OPERATOR_HMAC_SECRET_ARN", secret("{\"secret\":\"" + OPERATOR_SECRET + "\"}"));
        variables.put("DATA_ENCRYPTION_KEY_SECRET_ARN", secret("{\"key\":\"" + TestDatabases.DATA_KEY + "\"}"));
        for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
            variables.put(role.secretVariable(), secret("{\"username\":\"" + role.roleName() + "\",\"password\":\""
                    + PASSWORDS.get(role) + "\"}"));
        }
        return LocalStack.environment(variables);
    }

    private static String secret(String json) {
        return secrets.createSecret(r -> r.name("migrate-it-" + UUID.randomUUID()).secretString(json)).arn();
    }

    /** A new, empty database on the test server; its URL without the fixture's user, which would win over any login. */
    private static String freshDatabase() {
        String url = (String) TestDatabases.postgres().get("datasources.default.url");
        return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }

    /** An events/ file as the Lambda Java runtime deserializes it, its ResponseURL moved to the local server. */
    private static CloudFormationCustomResourceEvent event(String file) throws IOException {
        Map<String, Object> tree = JSON.readValue(Files.readAllBytes(Path.of("events", file)), Argument.mapOf(String.class, Object.class));
        URI presigned = URI.create((String) tree.get("ResponseURL"));
        tree.put("ResponseURL", "http://127.0.0.1:" + responses.getAddress().getPort() + presigned.getRawPath() + "?" + presigned.getRawQuery());
        return parse(JSON.writeValueAsBytes(tree));
    }

    /** A custom-resource event as the Lambda Java runtime deserializes it. */
    private static CloudFormationCustomResourceEvent parse(byte[] json) {
        return LambdaEventSerializers.serializerFor(CloudFormationCustomResourceEvent.class, MigrationFunctionIT.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json));
    }

    private static Received received() throws InterruptedException {
        Received received = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertNotNull(received, "no response PUT to the ResponseURL");
        return received;
    }

    private static long rows(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Context context(int remainingMillis) {
        long deadline = System.currentTimeMillis() + remainingMillis;
        return new Context() {
            public String getAwsRequestId() { return UUID.randomUUID().toString(); }
            public String getLogGroupName() { return "/aws/lambda/contentplane-migrate"; }
            public String getLogStreamName() { return "2026/11/30/[$LATEST]0123456789abcdef"; }
            public String getFunctionName() { return "contentplane-migrate"; }
            public String getFunctionVersion() { return "1"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:contentplane-migrate:live"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return (int) (deadline - System.currentTimeMillis()); }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) { System.out.println(message); }
                    public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }
}
