package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.delivery.DeliveryMetrics;
import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryWorker;
import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.delivery.QueuePoller;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.testing.TestQueues;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook delivery end to end: real changes through the domain services, both outboxes, the relay,
 * the fan-out and delivery queues on LocalStack's SQS (polled as the Lambda event source would), and
 * a real HTTP receiver on loopback. Retries are made fast: SQS counts visibility in whole seconds, so
 * each backoff is one second; the retry window is 6 s.
 */
class WebhookDeliveryIT {
    static final String TENANT = "t";
    static ApplicationContext context;
    static EventRelay relay;
    static DeliveryMetrics metrics;
    static QueuePoller fanOutPoller;
    static QueuePoller deliveryPoller;
    static NodeControlService nodes;
    static NodeRegistry registry;
    static DistributorStore distributors;
    static DeliveryStore deliveries;
    static JsonMapper json;
    final List<Receiver> receivers = new ArrayList<>();

    @BeforeAll
    static void start() {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        // loopback receivers over plain HTTP: only this setting lets a webhook reach them
        props.put("webhooks.allow-insecure", true);
        props.put("webhooks.retry.base", "50ms");
        props.put("webhooks.retry.max-delay", "200ms");
        props.put("webhooks.retry.window", "6s");
        // Generous for a loaded CI machine; the hanging receiver below still outlasts the read timeout.
        props.put("webhooks.connect-timeout", "1s");
        props.put("webhooks.read-timeout", "1s");
        props.put("node.shutdown-grace", "100ms");
        context = ApplicationContext.run(props);
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        relay = context.getBean(EventRelay.class);
        metrics = context.getBean(DeliveryMetrics.class);
        SqsClient sqs = context.getBean(SqsClient.class);
        DeliveryQueues queues = context.getBean(DeliveryQueues.class);
        DeliveryWorker worker = context.getBean(DeliveryWorker.class);
        fanOutPoller = new QueuePoller(sqs, queues, worker, DeliveryQueues.Queue.FAN_OUT, 2, 1);
        deliveryPoller = new QueuePoller(sqs, queues, worker, DeliveryQueues.Queue.DELIVERY, 4, 1);
        nodes = context.getBean(NodeControlService.class);
        registry = context.getBean(NodeRegistry.class);
        distributors = context.getBean(DistributorStore.class);
        deliveries = context.getBean(DeliveryStore.class);
        json = context.getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        fanOutPoller.close();
        deliveryPoller.close();
        context.close();
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.server.stop(0));
    }

    /** A webhook receiver: records every request; {@code behaviour} maps the n-th request (0-based) to a status, or -1 to hang. */
    final class Receiver {
        final HttpServer server;
        final List<Map<String, Object>> requests = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger count = new AtomicInteger();

        Receiver(int port, IntUnaryOperator behaviour) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", exchange -> {
                int n = count.getAndIncrement();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(Map.of("method", exchange.getRequestMethod(), "uri", exchange.getRequestURI().toString(),
                        "body", body, "headers", exchange.getRequestHeaders()));
                int status = behaviour.applyAsInt(n);
                if (status < 0) {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    status = 200;
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            receivers.add(this);
        }

        String host() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @SuppressWarnings("unchecked")
        String header(int i, String name) {
            var headers = (com.sun.net.httpserver.Headers) requests.get(i).get("headers");
            return headers.getFirst(name);
        }

        String body(int i) {
            return (String) requests.get(i).get("body");
        }

        String type(int i) throws IOException {
            return (String) json.readValue(body(i), Argument.mapOf(String.class, Object.class)).get("type");
        }
    }

    static String newNode() {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        registry.ensureApex(TENANT, id, "node");
        return id;
    }

    static Distributor distributor(String node, String host, int method, WebhookMeta.Authentication auth) {
        return distributors.create(TENANT, node, new WebhookMeta(host, "/hook", method, auth));
    }

    static void until(BooleanSupplier done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within " + max);
            relay.relay();
            Thread.sleep(50);
        }
    }

    static List<Delivery> history(Distributor d) {
        return deliveries.list(d.id(), 1, 100).deliveries();
    }

    @Test
    void everyEventTypeIsDeliveredSignedAndInOrder() throws Exception {
        Receiver receiver = new Receiver(0, n -> 200);
        String node = newNode();
        Distributor d = distributor(node, receiver.host(), 2, null);
        Distributor other = distributor(node, receiver.host() + "/", 2, null); // created: seen by d
        nodes.stopApi(node);
        nodes.startApi(node);
        nodes.setWorker(node, 7);
        nodes.setBuckets(node, "[\"1:0\"]");
        nodes.shutdown(node);
        Thread.sleep(150);
        nodes.boot(node);
        distributors.update(TENANT, other.id(), m -> new WebhookMeta(m.host(), "/other", m.method(), null));
        distributors.delete(TENANT, other.id());
        List<String> expected = List.of(EventTypes.DISTRIBUTOR_CREATED, EventTypes.DISTRIBUTOR_CREATED,
                EventTypes.NODE_API_STOPPED, EventTypes.NODE_API_STARTED, EventTypes.NODE_WORKER_CHANGED,
                EventTypes.NODE_BUCKETS_CHANGED, EventTypes.NODE_SHUTDOWN, EventTypes.NODE_BOOTED,
                EventTypes.DISTRIBUTOR_UPDATED, EventTypes.DISTRIBUTOR_DELETED);
        until(() -> history(d).stream().filter(x -> x.state() == Delivery.State.DELIVERED).count() == expected.size(),
                Duration.ofSeconds(30));
        List<Delivery> delivered = history(d);
        assertEquals(expected.size(), delivered.size());
        // d's requests (path /hook) arrived in event order, each signed with d's secret
        // at-least-once: a request repeated after a timeout carries the same id, so count each id once
        Map<String, String> receivedById = new java.util.LinkedHashMap<>();
        for (int i = 0; i < receiver.requests.size(); i++) {
            if (((String) receiver.requests.get(i).get("uri")).equals("/hook")) {
                assertTrue(WebhookSignature.verify(d.signingSecret(), receiver.header(i, "webhook-id"),
                        receiver.header(i, "webhook-timestamp"), receiver.body(i), receiver.header(i, "webhook-signature")));
                assertEquals(receiver.header(i, "webhook-id"), receiver.header(i, "Idempotency-Key"));
                receivedById.putIfAbsent(receiver.header(i, "webhook-id"), receiver.type(i));
            }
        }
        List<String> received = new ArrayList<>(receivedById.values());
        // d sees its own creation and other's, in event order: the relay merges both outboxes by event time
        assertEquals(expected, received);
        assertEquals(EventTypes.NODE_API_STOPPED, received.get(received.indexOf(EventTypes.NODE_API_STOPPED)));
        assertTrue(received.indexOf(EventTypes.NODE_API_STOPPED) < received.indexOf(EventTypes.NODE_API_STARTED));
        assertTrue(received.indexOf(EventTypes.NODE_SHUTDOWN) < received.indexOf(EventTypes.NODE_BOOTED));
        assertTrue(received.indexOf(EventTypes.DISTRIBUTOR_UPDATED) < received.indexOf(EventTypes.DISTRIBUTOR_DELETED));
        Map<String, Object> payload = json.readValue(receiver.body(receiver.requests.size() - 1), Argument.mapOf(String.class, Object.class));
        assertEquals(List.of("data", "id", "node_id", "occurred_at", "type"), payload.keySet().stream().sorted().toList());
        assertEquals(node, payload.get("node_id"));
    }

    @Test
    void basicAndTokenAuthenticationHeaders() throws Exception {
        Receiver receiver = new Receiver(0, n -> 200);
        String node = newNode();
        distributor(node, receiver.host(), 2, new WebhookMeta.Authentication(1, "user", "pass", null));
        distributor(node, receiver.host(), 3, new WebhookMeta.Authentication(2, null, null, "tok-123"));
        nodes.setWorker(node, 1);
        until(() -> receiver.requests.stream().filter(r -> r.get("body").toString().contains("node.worker.changed")).count() == 2,
                Duration.ofSeconds(30));
        List<String> authorizations = new ArrayList<>();
        for (int i = 0; i < receiver.requests.size(); i++) {
            if (receiver.body(i).contains("node.worker.changed")) {
                authorizations.add(receiver.requests.get(i).get("method") + " " + receiver.header(i, "Authorization"));
            }
        }
        assertTrue(authorizations.contains("POST Basic dXNlcjpwYXNz"), authorizations.toString());
        assertTrue(authorizations.contains("PUT Bearer tok-123"), authorizations.toString());
    }

    @Test
    void getAndDeleteCarryTheEventInTheQuery() throws Exception {
        Receiver receiver = new Receiver(0, n -> 204);
        String node = newNode();
        Distributor get = distributor(node, receiver.host(), 1, null);
        Distributor delete = distributor(node, receiver.host(), 5, null);
        nodes.stopApi(node);
        until(() -> history(get).stream().allMatch(x -> x.state() == Delivery.State.DELIVERED) && history(get).size() == 3
                && history(delete).stream().allMatch(x -> x.state() == Delivery.State.DELIVERED) && history(delete).size() == 2,
                Duration.ofSeconds(30));
        boolean sawGet = false;
        boolean sawDelete = false;
        for (int i = 0; i < receiver.requests.size(); i++) {
            String uri = (String) receiver.requests.get(i).get("uri");
            String method = (String) receiver.requests.get(i).get("method");
            assertTrue(uri.startsWith("/hook?event_id=evt_"), uri);
            assertTrue(uri.contains("&event_type="), uri);
            assertEquals("", receiver.body(i));
            assertTrue(WebhookSignature.verify((method.equals("GET") ? get : delete).signingSecret(),
                    receiver.header(i, "webhook-id"), receiver.header(i, "webhook-timestamp"), "", receiver.header(i, "webhook-signature")));
            sawGet |= method.equals("GET") && uri.contains("event_type=node.api.stopped");
            sawDelete |= method.equals("DELETE") && uri.contains("event_type=node.api.stopped");
        }
        assertTrue(sawGet && sawDelete, receiver.requests.stream().map(r -> r.get("method") + " " + r.get("uri")).toList()
                + " " + history(get) + " " + history(delete));
    }

    @Test
    void retriesAfter500AndTimeoutThenSucceeds() throws Exception {
        Receiver receiver = new Receiver(0, n -> n == 0 ? 500 : n == 1 ? -1 : 200);
        String node = newNode();
        Distributor d = distributor(node, receiver.host(), 2, null);
        until(() -> history(d).size() == 1 && history(d).get(0).state() == Delivery.State.DELIVERED, Duration.ofSeconds(30));
        Delivery delivery = history(d).get(0);
        // 500, then a timeout, then 200 (one more attempt if the machine is slow enough to time out again)
        assertTrue(delivery.attempts() >= 3, "attempts " + delivery.attempts());
        assertEquals(200, delivery.lastStatusCode());
        assertEquals(delivery.attempts(), receiver.count.get());
        // the same event every time: receivers dedupe on its id
        assertEquals(receiver.header(0, "webhook-id"), receiver.header(receiver.count.get() - 1, "webhook-id"));
    }

    @Test
    void retriesAfterRefusedConnectionThenSucceeds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String node = newNode();
        Distributor d = distributor(node, "http://127.0.0.1:" + port, 2, null);
        until(() -> history(d).size() == 1 && history(d).get(0).attempts() >= 2, Duration.ofSeconds(30));
        Delivery failing = history(d).get(0);
        assertEquals(Delivery.State.PENDING, failing.state());
        assertEquals("connection refused", failing.lastError());
        assertNull(failing.lastStatusCode());
        Receiver receiver = new Receiver(port, n -> 200);
        until(() -> history(d).get(0).state() == Delivery.State.DELIVERED, Duration.ofSeconds(30));
        assertEquals(1, receiver.count.get());
    }

    @Test
    void deadLetteredAfterTheRetryWindowAndRedeliverable() throws Exception {
        AtomicInteger healthy = new AtomicInteger(0);
        Receiver receiver = new Receiver(0, n -> healthy.get() == 1 ? 200 : 503);
        String node = newNode();
        Distributor d = distributor(node, receiver.host(), 2, null);
        int before = metrics.deadLetters();
        until(() -> history(d).size() == 1 && history(d).get(0).state() == Delivery.State.DEAD, Duration.ofSeconds(30));
        Delivery dead = history(d).get(0);
        assertTrue(dead.attempts() >= 2);
        assertEquals(503, dead.lastStatusCode());
        // counted (other tests' leftover deliveries may be dead-lettered meanwhile too)
        assertTrue(metrics.deadLetters() > before);
        // a dead delivery does not block the next event
        nodes.setWorker(node, 3);
        healthy.set(1);
        until(() -> history(d).size() == 2 && history(d).get(1).state() == Delivery.State.DELIVERED, Duration.ofSeconds(30));
        // redelivery sends the dead one again
        deliveries.redeliver(dead, java.time.Instant.now());
        until(() -> history(d).get(0).state() == Delivery.State.DELIVERED, Duration.ofSeconds(30));
    }

    @Test
    void finalFailureOn4xxIsNotRetried() throws Exception {
        Receiver receiver = new Receiver(0, n -> 410);
        String node = newNode();
        Distributor d = distributor(node, receiver.host(), 2, null);
        until(() -> history(d).size() == 1 && history(d).get(0).state() == Delivery.State.FAILED, Duration.ofSeconds(30));
        relay.relay();
        Thread.sleep(2_500);
        assertEquals(1, receiver.count.get());
        assertEquals(410, history(d).get(0).lastStatusCode());
    }

    @Test
    void ordersPerDistributorAndASlowWebhookDoesNotDelayOthers() throws Exception {
        // slow: the first two requests hang past the read timeout (then back off), then everything succeeds
        Receiver slow = new Receiver(0, n -> n <= 1 ? -1 : 200);
        Receiver healthy = new Receiver(0, n -> 200);
        String node = newNode();
        Distributor s = distributor(node, slow.host(), 2, null);
        Distributor h = distributor(node, healthy.host(), 2, null);
        nodes.setWorker(node, 1);
        nodes.setWorker(node, 2);
        // the healthy webhook gets all its events while the slow one is still stuck on its first
        long started = System.nanoTime();
        until(() -> history(h).size() == 3 && history(h).stream().allMatch(x -> x.state() == Delivery.State.DELIVERED),
                Duration.ofSeconds(30));
        // before the slow one could deliver anything (two timeouts and two backoffs: 4 s at least)
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 4_000);
        assertTrue(history(s).stream().noneMatch(x -> x.state() == Delivery.State.DELIVERED), "the slow webhook is still stuck");
        until(() -> history(s).size() == 4 && history(s).stream().allMatch(x -> x.state() == Delivery.State.DELIVERED),
                Duration.ofSeconds(30));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 15_000);
        // the slow one received its events in order, the first one twice (timeout, then retry)
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < slow.requests.size(); i++) {
            ids.add(slow.header(i, "webhook-id"));
        }
        assertEquals(ids.get(0), ids.get(1));
        List<String> expectedOrder = history(s).stream().map(Delivery::eventId).toList();
        assertEquals(expectedOrder, ids.stream().distinct().toList());
    }

    @Test
    void noEventForARolledBackChange() throws IOException {
        String node = newNode();
        EventOutboxRepository outbox = context.getBean(EventOutboxRepository.class);
        int before = outbox.ofNode(node).size();
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        assertThrows(IllegalStateException.class, () -> tx.executeWrite(status -> {
            nodes.setWorker(node, 99);
            nodes.stopApi(node);
            throw new IllegalStateException("rolled back");
        }));
        assertEquals(before, outbox.ofNode(node).size());
        assertNull(nodes.find(node).orElseThrow().workerId());
        // and a change that happens yields exactly one event
        nodes.setWorker(node, 5);
        assertEquals(before + 1, outbox.ofNode(node).size());
        Map<String, Object> event = json.readValue(outbox.ofNode(node).get(before).payload(), Argument.mapOf(String.class, Object.class));
        assertEquals(EventTypes.NODE_WORKER_CHANGED, event.get("type"));
        assertEquals(Map.of("worker_id", 5), event.get("data"));
    }

    @Test
    void settingTheSameWorkerOrBucketsAgainEmitsNoEvent() {
        String node = newNode();
        EventOutboxRepository outbox = context.getBean(EventOutboxRepository.class);
        int before = outbox.ofNode(node).size();
        assertTrue(nodes.setWorker(node, 4));
        assertTrue(nodes.setWorker(node, 4));
        assertTrue(nodes.setBuckets(node, "[\"1:0\"]"));
        assertTrue(nodes.setBuckets(node, "[\"1:0\"]"));
        assertTrue(nodes.setBuckets(node, null));
        assertTrue(nodes.setBuckets(node, null));
        // one event per actual change: worker 4, buckets ["1:0"], buckets back to all
        assertEquals(List.of(EventTypes.NODE_WORKER_CHANGED, EventTypes.NODE_BUCKETS_CHANGED, EventTypes.NODE_BUCKETS_CHANGED),
                outbox.ofNode(node).subList(before, outbox.ofNode(node).size()).stream().map(e -> e.eventType()).toList());
        assertFalse(nodes.setWorker(UUID.randomUUID().toString(), 4));
        assertFalse(nodes.setBuckets(UUID.randomUUID().toString(), null));
    }
}
