package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryWorker;
import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.delivery.QueuePoller;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.testing.TestQueues;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant isolation under a flood. Tenant A has a node with 200 distributors, half of whose webhooks
 * are slow (they answer after the read timeout) or failing (503), and 2,000 events of that node in
 * the outbox: 400,000 deliveries. Tenant B has a node with one distributor. B's single event must be
 * delivered within {@link #BOUND} of its change while A's flood is being worked off, close to what B
 * sees on an idle system (measured first, same machine, same settings). Relay, fan-out and delivery
 * run as in AWS: the relay loop of the scheduled function, and the two queues on LocalStack's SQS
 * polled as the Lambda event source would (batches of one message; 2 concurrent fan-out batches,
 * {@link #CONCURRENCY} delivery batches).
 */
class FairDeliveryIT {
    static final int DISTRIBUTORS = 200;
    static final int EVENTS = 2_000;
    /** Delivery batches handled at once: the delivery event source's MaximumConcurrency (template.yaml). */
    static final int CONCURRENCY = 16;
    /** B's delivery while A floods: the figure docs/delivery.md states, with room for a loaded CI machine. */
    static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void aFloodedTenantDoesNotDelayAnother() throws Exception {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        props.put("webhooks.allow-insecure", true); // loopback receivers over plain HTTP
        props.put("webhooks.connect-timeout", "1s");
        props.put("webhooks.read-timeout", "1s");
        props.put("webhooks.retry.base", "2s");
        props.put("webhooks.retry.max-delay", "4s");
        List<HttpServer> servers = new ArrayList<>();
        Map<String, Long> arrivedB = new ConcurrentHashMap<>();
        AtomicInteger requestsA = new AtomicInteger();
        try (ApplicationContext context = ApplicationContext.run(props)) {
            context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
            NodeControlService nodes = context.getBean(NodeControlService.class);
            NodeRegistry registry = context.getBean(NodeRegistry.class);
            DistributorStore distributors = context.getBean(DistributorStore.class);
            HttpServer healthyA = receiver(servers, exchange -> 200, requestsA, null);
            HttpServer slowA = receiver(servers, exchange -> -1, requestsA, null);
            HttpServer failingA = receiver(servers, exchange -> 503, requestsA, null);
            HttpServer b = receiver(servers, exchange -> 200, new AtomicInteger(), arrivedB);

            String nodeA = UUID.randomUUID().toString();
            nodes.register(nodeA, null);
            registry.ensureApex("tenant-a", nodeA, "A");
            long setup = System.nanoTime();
            java.util.concurrent.ExecutorService creating = Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> created = new ArrayList<>();
            for (int i = 0; i < DISTRIBUTORS; i++) {
                HttpServer target = i % 2 == 0 ? healthyA : i % 4 == 1 ? slowA : failingA;
                created.add(creating.submit(() -> distributors.create("tenant-a", nodeA,
                        new WebhookMeta(host(target), "/hook", 2, null))));
            }
            for (java.util.concurrent.Future<?> f : created) {
                f.get();
            }
            creating.shutdown();
            // A's distributors are old: their creation events were delivered long ago (not part of the flood)
            drainDynamoOutbox(context);
            String nodeB = UUID.randomUUID().toString();
            nodes.register(nodeB, null);
            registry.ensureApex("tenant-b", nodeB, "B");
            distributors.create("tenant-b", nodeB, new WebhookMeta(host(b), "/hook", 2, null));
            System.out.printf("FAIRNESS setup %d ms%n", (System.nanoTime() - setup) / 1_000_000);

            SqsClient sqs = context.getBean(SqsClient.class);
            DeliveryQueues queues = context.getBean(DeliveryQueues.class);
            DeliveryWorker worker = context.getBean(DeliveryWorker.class);
            EventRelay relay = context.getBean(EventRelay.class);
            AtomicLong relayed = new AtomicLong();
            Thread relayLoop = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        if (relayed.addAndGet(relay.relay()) >= 0) {
                            Thread.sleep(100);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the scheduled function would fail this step and go on with the next
                    }
                }
            }, "relay");
            relayLoop.setDaemon(true);
            relayLoop.start();
            try (QueuePoller fanOut = new QueuePoller(sqs, queues, worker, DeliveryQueues.Queue.FAN_OUT, 2, 1);
                 QueuePoller delivery = new QueuePoller(sqs, queues, worker, DeliveryQueues.Queue.DELIVERY, CONCURRENCY, 1)) {
                // B's distributor.created, and the idle figure: three of B's events with nothing else going on
                waitFor(() -> arrivedB.size() == 1, Duration.ofSeconds(30));
                List<Long> idle = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    idle.add(latency(nodes, nodeB, i, arrivedB));
                }
                // the flood: 2,000 events of A's node (each a real change), and B's event right behind them
                long floodWritten = System.nanoTime();
                for (int i = 0; i < EVENTS; i++) {
                    nodes.setWorker(nodeA, 1_000 + i);
                }
                System.out.printf("FAIRNESS flood written in %d ms%n", (System.nanoTime() - floodWritten) / 1_000_000);
                floodWritten = System.nanoTime();
                long flooded = latency(nodes, nodeB, 100, arrivedB);
                int aSoFar = requestsA.get();
                System.out.printf("FAIRNESS relayed %d%n", relayed.get());
                System.out.printf("FAIRNESS idle B deliveries %s ms; B under A's flood %d ms (flood of %d events written %d ms"
                                + " before; A's webhooks had %d requests of %d deliveries by then); bound %d ms%n",
                        idle, flooded, EVENTS, (System.nanoTime() - floodWritten) / 1_000_000 - flooded, aSoFar,
                        DISTRIBUTORS * (EVENTS + 1), BOUND.toMillis());
                assertTrue(flooded <= BOUND.toMillis(), "B waited " + flooded + " ms under A's flood (idle: " + idle + ")");
                // A's flood was still being worked off: most of its deliveries had not been attempted
                assertTrue(aSoFar < DISTRIBUTORS * EVENTS / 2, "A's requests so far: " + aSoFar);
            } finally {
                relayLoop.interrupt();
            }
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }

    private static void drainDynamoOutbox(ApplicationContext context) {
        var outbox = context.getBean(software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.class)
                .table(context.getBean(IntegrationTable.class).name(), io.contentplane.domain.integration.EventOutboxItems.SCHEMA);
        outbox.index(IntegrationTable.GSI1).query(r -> r.queryConditional(software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional
                        .keyEqualTo(k -> k.partitionValue(io.contentplane.domain.integration.EventOutboxItems.PARTITION))))
                .stream().flatMap(p -> p.items().stream()).forEach(outbox::deleteItem);
    }

    /** Milliseconds from B's change (worker {@code worker}) to its arrival at B's webhook. */
    private static long latency(NodeControlService nodes, String nodeB, int worker, Map<String, Long> arrivedB)
            throws InterruptedException {
        int before = arrivedB.size();
        long changed = System.nanoTime();
        assertTrue(nodes.setWorker(nodeB, worker));
        waitFor(() -> arrivedB.size() > before, Duration.ofSeconds(90));
        long arrived = arrivedB.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return (arrived - changed) / 1_000_000;
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached within " + max);
            Thread.sleep(5);
        }
    }

    /** A receiver answering {@code status} (or, for -1, after 2 s: past the read timeout); B's records arrival times by webhook-id. */
    private static HttpServer receiver(List<HttpServer> servers, java.util.function.ToIntFunction<Object> status, AtomicInteger count,
                                       Map<String, Long> arrivals) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            count.incrementAndGet();
            if (arrivals != null) {
                arrivals.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), now);
            }
            int answer = status.applyAsInt(exchange);
            if (answer < 0) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer = 200;
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        servers.add(server);
        return server;
    }

    private static String host(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
