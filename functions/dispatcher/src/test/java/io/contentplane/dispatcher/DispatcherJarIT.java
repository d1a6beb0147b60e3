package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.testing.TestQueues;
import io.contentplane.domain.delivery.DeliveryQueues;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
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
 * lists), in fresh JVMs configured only through the environment variables template.yaml uses: the
 * relay handler invoked with events/schedule.json, then the delivery handler with the SQS events of
 * the real fan-out and delivery messages (LocalStack's SQS): the webhook must receive what the tests'
 * context queued, and the deliveries be recorded. DispatcherFunctionIT runs the module's classes;
 * this runs what is deployed.
 */
class DispatcherJarIT {

    /** Invokes the handler template.yaml names, as the Lambda runtime would, and prints its answer. */
    private static final String LAUNCHER = """
            import com.amazonaws.services.lambda.runtime.Context;
            import io.micronaut.core.type.Argument;
            import io.micronaut.json.JsonMapper;
            import java.lang.reflect.Proxy;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Map;

            public class Launcher {
                public static void main(String[] args) throws Exception {
                    var function = (io.micronaut.function.aws.MicronautRequestHandler<Map<String, Object>, Map<String, Object>>)
                            Class.forName(args[1]).getConstructor().newInstance();
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
        props.putAll(TestQueues.properties());
        try (ApplicationContext context = ApplicationContext.run(props)) {
            Distributor distributor = QueuedDeliveries.queueTwoEvents(context, receiver);

            Path launcher = work.resolve("Launcher.java");
            Files.writeString(launcher, LAUNCHER, StandardCharsets.UTF_8);
            Map<String, String> env = new java.util.HashMap<>();
            env.put("JDBC_URL", (String) props.get("datasources.default.url"));
            env.put("JDBC_USER", (String) props.get("datasources.default.username"));
            env.put("JDBC_PASSWORD", (String) props.get("datasources.default.password"));
            env.put("JDBC_DIALECT", "POSTGRES");
            env.put("JDBC_MIN_IDLE", "1");
            env.put("DATA_ENCRYPTION_KEY", TestDatabases.DATA_KEY);
            env.put("DYNAMODB_ENDPOINT", (String) props.get("dynamodb.endpoint"));
            env.put("INTEGRATION_TABLE", (String) props.get("dynamodb.tables.integration"));
            env.put("SQS_ENDPOINT", (String) props.get("sqs.endpoint"));
            env.put("DELIVERY_FAN_OUT_QUEUE_URL", (String) props.get("delivery.fan-out-queue-url"));
            env.put("DELIVERY_QUEUE_URL", (String) props.get("delivery.queue-url"));
            env.put("AWS_REGION", "eu-west-1");
            // The receiver listens on loopback over plain HTTP, which only this setting lets a webhook reach.
            env.put("ALLOW_INSECURE_WEBHOOKS", "true");
            env.put("DISPATCHER_RUN_FOR", "1s");
            env.put("DISPATCHER_INTERVAL", "50ms");

            List<String> relayOutput = new ArrayList<>();
            String relayed = invoke(launcher, "io.contentplane.dispatcher.DispatcherFunction",
                    Path.of("events", "schedule.json").toAbsolutePath(), env, relayOutput);
            assertTrue(relayed.matches("SUMMARY \\{cycles=\\d+, relayed=2}"), relayed);
            // the check below can fail: the relay, which uses the database, logs its pool's start
            assertTrue(relayOutput.stream().anyMatch(line -> line.contains("HikariPool")), String.join("\n", relayOutput));
            SqsClient sqs = context.getBean(SqsClient.class);
            for (DeliveryQueues.Queue queue : List.of(DeliveryQueues.Queue.FAN_OUT, DeliveryQueues.Queue.FAN_OUT,
                    DeliveryQueues.Queue.DELIVERY, DeliveryQueues.Queue.DELIVERY)) {
                String url = (String) props.get(queue == DeliveryQueues.Queue.FAN_OUT ? "delivery.fan-out-queue-url" : "delivery.queue-url");
                Message message = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5).messageSystemAttributeNamesWithStrings("All"))
                        .messages().get(0);
                Path event = work.resolve(message.messageId() + ".json");
                Files.writeString(event, sqsEvent(queue, message), StandardCharsets.UTF_8);
                // the delivery function gets no database settings and its default data source off
                // (template.yaml): it never uses the database, and creates no connection pool
                Map<String, String> deliveryEnv = new java.util.HashMap<>(env);
                deliveryEnv.keySet().removeIf(name -> name.startsWith("JDBC_"));
                deliveryEnv.put("DATASOURCES_DEFAULT_ENABLED",
                        DeliveryPrimingTest.deliveryFunctionVariable("DATASOURCES_DEFAULT_ENABLED"));
                List<String> output = new ArrayList<>();
                String answer = invoke(launcher, "io.contentplane.dispatcher.DeliveryQueueFunction", event, deliveryEnv, output);
                assertEquals("SUMMARY {batchItemFailures=[]}", answer);
                assertTrue(output.stream().noneMatch(line -> line.contains("HikariPool")), String.join("\n", output));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
            // distributor.created and node.worker.changed, each delivered once
            assertEquals(2, received.size(), received.toString());
            assertEquals(2, context.getBean(DeliveryStore.class).list(distributor.id(), 1, 10).deliveries().stream()
                    .filter(d -> d.state() == io.contentplane.domain.delivery.Delivery.State.DELIVERED).count());
        } finally {
            receiver.stop(0);
        }
    }

    /** Runs the jar's handler {@code handler} on {@code event} in a fresh JVM; returns its SUMMARY line and adds every line it printed to {@code output}. */
    private static String invoke(Path launcher, String handler, Path event, Map<String, String> variables,
                                 List<String> output) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:MetaspaceSize=64m",
                "-cp", Path.of("target", "dispatcher.jar").toAbsolutePath().toString(),
                launcher.toString(), event.toString(), handler));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("JAVA_TOOL_OPTIONS") || name.startsWith("MICRONAUT_"));
        env.putAll(variables);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the jar's invocation finished");
        assertEquals(0, process.exitValue(), printed);
        output.addAll(printed.lines().toList());
        return printed.lines().filter(line -> line.startsWith("SUMMARY ")).findFirst().orElse(printed);
    }

    /** An SQS event of one real message, as the event source mapping sends it. */
    private static String sqsEvent(DeliveryQueues.Queue queue, Message m) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("messageId", m.messageId());
        record.put("receiptHandle", m.receiptHandle());
        record.put("body", m.body());
        record.put("attributes", m.attributesAsStrings());
        record.put("messageAttributes", Map.of());
        record.put("md5OfBody", m.md5OfBody());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:eu-west-1:000000000000:jar-it"
                + (queue == DeliveryQueues.Queue.FAN_OUT ? "-fan-out.fifo" : "-delivery.fifo"));
        record.put("awsRegion", "eu-west-1");
        return json.writeValueAsString(Map.of("Records", List.of(record)));
    }
}
