package io.contentplane.migrate;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.testing.LocalStack;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration function's Lambda jar as built (shaded: Flyway's plugins, Micronaut's beans, the
 * migrations), in a fresh JVM configured only through the environment template.yaml gives it (the
 * secrets in LocalStack by ARN), handling events/create.json: it must migrate, register the node,
 * create the roles and PUT SUCCESS. MigrationFunctionIT runs the module's classes; this runs what is deployed.
 */
class MigrationJarIT {

    /** Invokes the handler template.yaml names with the event file, as the Lambda runtime would. */
    private static final String LAUNCHER = """
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
            import io.contentplane.migrate.MigrationFunction;
            import io.micronaut.core.type.Argument;
            import io.micronaut.json.JsonMapper;
            import java.lang.reflect.Proxy;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Map;

            public class Launcher {
                @SuppressWarnings("unchecked")
                public static void main(String[] args) throws Exception {
                    Map<String, Object> json = JsonMapper.createDefault()
                            .readValue(Files.readAllBytes(Path.of(args[0])), Argument.mapOf(String.class, Object.class));
                    CloudFormationCustomResourceEvent event = new CloudFormationCustomResourceEvent();
                    event.setRequestType((String) json.get("RequestType"));
                    event.setServiceToken((String) json.get("ServiceToken"));
                    event.setResponseUrl((String) json.get("ResponseURL"));
                    event.setStackId((String) json.get("StackId"));
                    event.setRequestId((String) json.get("RequestId"));
                    event.setLogicalResourceId((String) json.get("LogicalResourceId"));
                    event.setResourceType((String) json.get("ResourceType"));
                    event.setResourceProperties((Map<String, Object>) json.get("ResourceProperties"));
                    Context context = (Context) Proxy.newProxyInstance(Launcher.class.getClassLoader(),
                            new Class<?>[] {Context.class}, (proxy, method, arguments) -> switch (method.getName()) {
                                case "getRemainingTimeInMillis" -> 600_000;
                                case "getMemoryLimitInMB" -> 1024;
                                case "getLogStreamName" -> "migration-jar-it";
                                default -> null;
                            });
                    System.out.println("DATA " + new MigrationFunction().handleRequest(event, context));
                    System.exit(0);
                }
            }
            """;

    @Test
    void theLambdaJarMigratesAndAnswersCloudFormation(@TempDir Path work) throws Exception {
        JsonMapper json = JsonMapper.createDefault();
        BlockingQueue<Map<String, Object>> answers = new LinkedBlockingQueue<>();
        HttpServer responses = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        responses.createContext("/", exchange -> {
            answers.add(json.readValue(exchange.getRequestBody().readAllBytes(), Argument.mapOf(String.class, Object.class)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        responses.start();
        String url = (String) TestDatabases.postgres().get("datasources.default.url");
        url = url.substring(0, url.indexOf('?'));
        String statusPassword = UUID.randomUUID().toString();
        try (SecretsManagerClient secrets = LocalStack.secretsManager()) {
            Map<String, Object> create = json.readValue(Files.readAllBytes(Path.of("events", "create.json")),
                    Argument.mapOf(String.class, Object.class));
            create.put("ResponseURL", "http://127.0.0.1:" + responses.getAddress().getPort() + "/response?X-Amz-Signature=it");
            Path event = work.resolve("create.json");
            Files.write(event, json.writeValueAsBytes(create));
            Path launcher = work.resolve("Launcher.java");
            Files.writeString(launcher, LAUNCHER, StandardCharsets.UTF_8);

            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", Path.of("target", "migrate.jar").toAbsolutePath().toString(),
                    launcher.toString(), event.toString())).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("JAVA_TOOL_OPTIONS") || name.startsWith("MICRONAUT_")
                    || name.startsWith("AWS_") || name.startsWith("JDBC_"));
            env.putAll(LocalStack.environment(Map.of(
                    "JDBC_URL", url,
                    "JDBC_DIALECT", "POSTGRES",
                    "NODE_ID", "e40efce4-38a3-46c4-a202-e8db95d0409c",
                    "DATABASE_SECRET_ARN", secret(secrets, "{\"username\":\"postgres\",\"password\":\"postgres\"}"),
                    "OPERATOR_HMAC_SECRET_ARN", secret(secrets, "{\"secret\":\"jar-operator-secret\"}"),
                    "DATA_ENCRYPTION_KEY_SECRET_ARN", secret(secrets, "{\"key\":\"" + TestDatabases.DATA_KEY + "\"}"),
                    "STATUS_DATABASE_SECRET_ARN", secret(secrets, "{\"username\":\"contentplane_status\",\"password\":\""
                            + statusPassword + "\"}"))));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the jar's invocation finished");
            assertEquals(0, process.exitValue(), output);

            Map<String, Object> answer = answers.poll(10, TimeUnit.SECONDS);
            assertNotNull(answer, output);
            assertEquals("SUCCESS", answer.get("Status"), answer + "\n" + output);
            assertEquals(Map.of("SchemaVersion", TestDatabases.latestSchemaVersion(), "Roles", "contentplane_status",
                    "DefaultNodeId", "e40efce4-38a3-46c4-a202-e8db95d0409c"), answer.get("Data"));
            assertTrue(!output.contains(statusPassword) && !output.contains("jar-operator-secret"), "no secret in the logs:\n" + output);
            try (Connection status = DriverManager.getConnection(url, DatabaseRoles.Role.STATUS.roleName(), statusPassword);
                 Statement s = status.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM node_parameter")) {
                r.next();
                assertEquals(6, r.getInt(1), "the default node, read with the status role's login");
            }
        } finally {
            responses.stop(0);
        }
    }

    private static String secret(SecretsManagerClient secrets, String value) {
        return secrets.createSecret(r -> r.name("migrate-jar-it-" + UUID.randomUUID()).secretString(value)).arn();
    }
}
