package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.GatewayResponses;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery function's SnapStart priming: with a distributor whose webhook is a live loopback
 * receiver and a delivery pending for it, priming runs the fan-out and delivery paths through the
 * handler but changes no item, calls no webhook and sends nothing to SQS (the SQS endpoint is a
 * loopback recorder). Configured as template.yaml configures the function: no database settings,
 * and its default data source off (read from the template), so no connection pool is ever created.
 */
class DeliveryPrimingTest {
    private final List<String> webhookCalls = new CopyOnWriteArrayList<>();
    private final List<String> sqsCalls = new CopyOnWriteArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final DynamoDbRequestCounter dynamoRequests = new DynamoDbRequestCounter();
    private DeliveryQueueFunction handler;

    @AfterEach
    void stop() {
        if (handler != null) {
            handler.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void primingRunsBothQueuesThroughTheHandlerAndChangesNothing() throws Exception {
        ApplicationContext context = start(TestDynamo.properties());
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        String node = UUID.randomUUID().toString();
        context.getBean(NodeRegistry.class).ensureApex("t", node, "node");
        HttpServer receiver = recorder(webhookCalls, 204, "");
        Distributor distributor = context.getBean(DistributorStore.class).create("t", node,
                new WebhookMeta("http://127.0.0.1:" + receiver.getAddress().getPort(), "/hook", 2, null));
        String eventId = UUID.randomUUID().toString();
        DeliveryStore deliveries = context.getBean(DeliveryStore.class);
        deliveries.enqueue(distributor.id(), eventId, EventTypes.NODE_WORKER_CHANGED, node, "{}", Instant.now(), Instant.now());
        long items = items(context);
        dynamoRequests.reset();

        handler.priming().beforeCheckpoint(null);

        // fan-out: its cursor and its node's first page; delivery: the event entry; the attempt: the
        // distributor, and the attempt's record refused by its condition
        assertEquals(List.of("GetItem", "Query", "GetItem", "GetItem", "PutItem"), dynamoRequests.operations());
        DeliveryPriming.Warmup warmup = handler.priming().warmup();
        assertTrue(warmup.attemptRecordRefused());
        assertEquals(List.of(Map.of("batchItemFailures", List.of()), Map.of("batchItemFailures", List.of())), warmup.answers());
        // nothing written, queued, hidden or delivered
        assertEquals(items, items(context));
        Delivery pending = deliveries.find(distributor.id(), eventId).orElseThrow();
        assertEquals(Delivery.State.PENDING, pending.state());
        assertEquals(0, pending.attempts());
        assertEquals(List.of(), sqsCalls);
        assertEquals(List.of(), webhookCalls);
        // both queues' paths ran without creating a connection pool
        assertEquals(List.of(), List.copyOf(context.getBeansOfType(DataSource.class)));

        // the attempt's request, built and signed, for an address that is never resolved
        HttpRequest request = warmup.request();
        assertEquals(URI.create(DeliveryPriming.TARGET + "/priming"), request.uri());
        assertEquals("POST", request.method());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("priming:priming".getBytes(StandardCharsets.UTF_8)),
                request.headers().firstValue("Authorization").orElseThrow());
        assertEquals(warmup.eventId(), request.headers().firstValue("webhook-id").orElseThrow());
        assertTrue(WebhookSignature.verify(warmup.secret(), warmup.eventId(),
                request.headers().firstValue("webhook-timestamp").orElseThrow(), warmup.payload(),
                request.headers().firstValue("webhook-signature").orElseThrow()));
        Map<String, Object> payload = context.getBean(JsonMapper.class).readValue(warmup.payload(),
                Argument.mapOf(String.class, Object.class));
        assertEquals(EventTypes.NODE_WORKER_CHANGED, payload.get("type"));
        assertEquals(7, ((Map<String, Object>) payload.get("data")).get("worker_id"));
        // the first retry waits half to all of the 10 s base
        assertTrue(warmup.backoff().compareTo(Duration.ofSeconds(5)) >= 0
                && warmup.backoff().compareTo(Duration.ofSeconds(10)) <= 0, warmup.backoff().toString());
    }

    @Test
    void aStoreThatRefusesFailsTheSnapshotAndChangesNoMessage() throws Exception {
        // no table: every DynamoDB call fails, as a call outside the function's IAM policy would
        start(TestDynamo.properties());

        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> handler.priming().beforeCheckpoint(null));

        assertTrue(failed.getMessage().startsWith("a priming message was not handled"), failed.getMessage());
        // the worker tried to hide the message for its backoff; its receipt handle is no queue's, so SQS refuses it
        assertEquals(1, sqsCalls.size(), sqsCalls.toString());
        assertTrue(sqsCalls.get(0).contains("ChangeMessageVisibility") && sqsCalls.get(0).contains("\"priming\""), sqsCalls.get(0));
    }

    /** The delivery function on {@code props}, its SQS endpoint a loopback recorder that refuses every call as SQS refuses an unknown receipt handle. */
    private ApplicationContext start(Map<String, Object> props) throws IOException {
        HttpServer sqs = recorder(sqsCalls, 400,
                "{\"__type\":\"com.amazonaws.sqs#ReceiptHandleIsInvalid\",\"message\":\"The input receipt handle is invalid.\"}");
        String queues = "http://127.0.0.1:" + sqs.getAddress().getPort() + "/000000000000/priming";
        props.put("sqs.endpoint", "http://127.0.0.1:" + sqs.getAddress().getPort());
        props.put("sqs.region", "eu-west-1");
        props.put("delivery.fan-out-queue-url", queues + "-fan-out.fifo");
        props.put("delivery.queue-url", queues + "-delivery.fifo");
        // loopback webhooks allowed, so the receiver above would get any delivery that priming made
        props.put("webhooks.allow-insecure", true);
        props.put("crypto.data-key", TestDatabases.DATA_KEY);
        props.put("datasources.default.enabled", deliveryFunctionVariable("DATASOURCES_DEFAULT_ENABLED"));
        ApplicationContext context = ApplicationContext.builder().properties(props).singletons(dynamoRequests).start();
        handler = new DeliveryQueueFunction(context);
        return context;
    }

    /** The literal value template.yaml gives the DeliveryFunction's environment variable {@code name}. */
    @SuppressWarnings("unchecked")
    static String deliveryFunctionVariable(String name) {
        Map<String, Object> resources = (Map<String, Object>) GatewayResponses.template().get("Resources");
        Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resources.get("DeliveryFunction")).get("Properties");
        Object value = ((Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables")).get(name);
        assertTrue(value instanceof String, name + " in the DeliveryFunction's environment is a literal: " + value);
        return (String) value;
    }

    /** A started loopback server recording each request's target header and body, answering {@code status} with {@code body}. */
    private HttpServer recorder(List<String> calls, int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + request);
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server;
    }

    /** Every item of the test's table, counted by a paginated Scan. */
    private static long items(ApplicationContext context) {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        String table = context.getBean(IntegrationTable.class).name();
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).select(Select.COUNT).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }
}
