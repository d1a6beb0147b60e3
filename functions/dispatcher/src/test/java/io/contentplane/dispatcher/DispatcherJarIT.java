package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's Lambda jar as built (shaded, with its Micronaut AOT classes and rewritten service
 * lists), in a fresh JVM configured only through the environment variables template.yaml uses,
 * invoked with events/schedule.json: it must deliver what the tests' context queued to a webhook and
 * record the deliveries. DispatcherFunctionTest runs the module's classes; this runs what is deployed.
 */
class DispatcherJarIT {

    /** Invokes the handler template.yaml names, as the Lambda runtime would, and prints its answer. */
    private static final String LAUNCHER = """
            import com.amazonaws.services.lambda.runtime.Context;
            import io.contentplane.dispatcher.DispatcherFunction;
            import io.micronaut.core.type.Argument;
            import io.micronaut.json.JsonMapper;
            import java.lang.reflect.Proxy;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Map;

            public class Launcher {
                public static void main(String[] args) throws Exception {
                    DispatcherFunction function = new DispatcherFunction();
                    Map<String, Object> event = function.getApplicationContext().getBean(JsonMapper.class)
                            .readValue(Files.readAllBytes(Path.of(args[0])), Argument.mapOf(String.class, Object.class));
                    Context context = (Context) Proxy.newProxyInstance(Launcher.class.getClassLoader(),
                            new Class<?>[] {Context.class}, (proxy, method, arguments) -> switch (method.getName()) {
                                case "getRemainingTimeInMillis" -> 60_000;
                                case "getMemoryLimitInMB" -> 1024;
                                case "getAwsRequestId", "getFunctionName" -> "dispatcher-jar-it";
                                default -> null;
                            });
                    System.out.println("SUMMARY " + function.handleRequest(event, context));
                    System.exit(0);
                }
            }
            """;

    @Test
    void theLambdaJarDeliversWhatIsQueued(@TempDir Path work) throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = QueuedDeliveries.receiver(received);
        Map<String, Object> props = TestDatabases.postgres();
        props.putAll(TestDynamo.properties());
        try (ApplicationContext context = ApplicationContext.run(props)) {
            Distributor distributor = QueuedDeliveries.queueTwoEvents(context, receiver);

            Path launcher = work.resolve("Launcher.java");
            Files.writeString(launcher, LAUNCHER, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                    "-cp", Path.of("target", "dispatcher.jar").toAbsolutePath().toString(),
                    launcher.toString(), Path.of("events", "schedule.json").toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("JAVA_TOOL_OPTIONS") || name.startsWith("MICRONAUT_"));
            env.put("JDBC_URL", (String) props.get("datasources.default.url"));
            env.put("JDBC_USER", (String) props.get("datasources.default.username"));
            env.put("JDBC_PASSWORD", (String) props.get("datasources.default.password"));
            env.put("JDBC_DIALECT", "POSTGRES");
            env.put("JDBC_MIN_IDLE", "1");
            env.put("DATA_ENCRYPTION_KEY", TestDatabases.DATA_KEY);
            env.put("DYNAMODB_ENDPOINT", (String) props.get("dynamodb.endpoint"));
            env.put("INTEGRATION_TABLE", (String) props.get("dynamodb.tables.integration"));
            env.put("AWS_REGION", "eu-west-1");
            // The receiver listens on loopback over plain HTTP, which only this setting lets a webhook reach.
            env.put("ALLOW_INSECURE_WEBHOOKS", "true");
            env.put("DISPATCHER_RUN_FOR", "2s");
            env.put("DISPATCHER_INTERVAL", "50ms");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the jar's invocation finished");

            assertEquals(0, process.exitValue(), output);
            String summary = output.lines().filter(line -> line.startsWith("SUMMARY ")).findFirst().orElse("");
            assertTrue(summary.matches("SUMMARY \\{cycles=\\d+, dead_letters=0}"), output);
            // distributor.created and node.worker.changed, each delivered once
            assertEquals(2, received.size(), received + "\n" + output);
            assertEquals(2, context.getBean(DeliveryStore.class).list(distributor.id(), 1, 10).total(), output);
        } finally {
            receiver.stop(0);
        }
    }
}
