package io.contentplane.domain.delivery;

import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.webhook.WebhookSender;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers queued events to webhooks: each cycle relays new events, then starts the due head
 * delivery of every distributor on its own worker, so a slow or dead webhook holds up only its own
 * queue. A distributor with an attempt in flight is skipped until that attempt ends, which keeps its
 * deliveries in order. At-least-once: the event id is the idempotency key receivers dedupe on.
 */
// Needs EventRelay, hence both the DynamoDB SDK and the JDBC stack.
@Requires(classes = {DynamoDbEnhancedClient.class, JdbcOperations.class})
@Singleton
public class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Longer than one attempt can take (connect + read timeouts); a crashed attempt is retried after it. */
    static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

    private final EventRelay relay;
    private final DeliveryStore deliveries;
    private final DistributorStore distributors;
    private final WebhookSender sender;
    private final RetryPolicy retries;
    private final ExecutorService workers;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger deadLetters = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();

    public Dispatcher(EventRelay relay, DeliveryStore deliveries, DistributorStore distributors, WebhookSender sender,
                      RetryPolicy retries, @Value("${webhooks.workers:16}") int workers) {
        this.relay = relay;
        this.deliveries = deliveries;
        this.distributors = distributors;
        this.sender = sender;
        this.retries = retries;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "webhook-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    /** One pass: relay, then start every due queue head whose distributor is idle. */
    public void cycle() {
        relay.relay();
        Instant now = clock.instant();
        for (Delivery head : deliveries.queueHeads()) {
            if (head.nextAttemptAt() != null && head.nextAttemptAt().isAfter(now)) {
                continue;
            }
            if (inFlight.add(head.distributorId())) {
                workers.execute(() -> {
                    try {
                        attempt(head);
                    } catch (RuntimeException e) {
                        LOG.error("Delivery of {} to distributor {} failed: {}", head.eventId(), head.distributorId(),
                                e.getClass().getName());
                    } finally {
                        inFlight.remove(head.distributorId());
                    }
                });
            }
        }
    }

    /** Waits until no attempt is in flight, at most {@code max}; true when idle. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Dead letters since start (the Lambda reports them as a metric). */
    public int deadLetters() {
        return deadLetters.get();
    }

    void attempt(Delivery d) {
        Instant now = clock.instant();
        if (!deliveries.claim(d, now, CLAIM_LEASE)) {
            return; // recorded or claimed meanwhile: this head was stale
        }
        Optional<Distributor> distributor = distributors.find(d.distributorId());
        try {
            if (distributor.isEmpty() || distributor.get().meta() == null) {
                deliveries.recordAttempt(d, Delivery.State.FAILED, null,
                        distributor.isEmpty() ? "distributor was deleted" : "webhook was removed", null, now);
                return;
            }
            Distributor target = distributor.get();
            WebhookSender.Result result = sender.send(target.meta(), target.signingSecret(), d.eventId(), d.eventType(), d.payload());
            Instant done = clock.instant();
            if (result.delivered()) {
                deliveries.recordAttempt(d, Delivery.State.DELIVERED, result.statusCode(), null, null, done);
            } else if (!result.retryable()) {
                deliveries.recordAttempt(d, Delivery.State.FAILED, result.statusCode(), result.error(), null, done);
            } else {
                Instant first = d.firstAttemptAt() == null ? now : d.firstAttemptAt();
                Instant next = retries.nextAttempt(d.attempts() + 1, first, done);
                if (next == null) {
                    deliveries.recordAttempt(d, Delivery.State.DEAD, result.statusCode(), result.error(), null, done);
                    deadLetters.incrementAndGet();
                    // CloudWatch embedded metric format: the DeadLetters alarm in template.yaml watches it.
                    System.out.println("{\"_aws\":{\"Timestamp\":" + done.toEpochMilli() + ",\"CloudWatchMetrics\":[{\"Namespace\":"
                            + "\"contentplane\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"}]}]},"
                            + "\"DeadLetters\":1,\"event_id\":\"" + d.eventId() + "\",\"distributor_id\":\"" + d.distributorId() + "\"}");
                } else {
                    deliveries.recordAttempt(d, Delivery.State.PENDING, result.statusCode(), result.error(), next, done);
                }
            }
        } catch (ConditionalCheckFailedException anotherDispatcher) {
            // the same attempt was recorded by a concurrent dispatcher
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
