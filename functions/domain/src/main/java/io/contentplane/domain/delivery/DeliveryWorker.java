package io.contentplane.domain.delivery;

import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.webhook.WebhookSender;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Handles a batch of queue messages as the SQS event source hands it to a Lambda (or the local
 * poller does): fan-out steps and webhook attempts. The messages of one FIFO group (a node's
 * fan-outs, a distributor's deliveries) run one after the other, the groups of a batch side by side,
 * so a slow webhook holds up only its own distributor. Returns the ids of the messages to leave on
 * the queue (the event source's partial batch response): a message that must come back later is
 * given its delay as visibility timeout first (backoff), and so is every later message of its
 * group, which keeps the group in order. At-least-once: the event id is the idempotency key
 * receivers dedupe on, and a copy of a message whose delivery is no longer pending does nothing.
 */
@Requires(classes = {DynamoDbEnhancedClient.class, SqsClient.class})
@Singleton
public class DeliveryWorker {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** When handling a message fails unexpectedly (a store unreachable), it comes back after this. */
    static final Duration ERROR_BACKOFF = Duration.ofSeconds(30);

    /** What becomes of a message: done (deleted), or back on the queue after {@code delay}. */
    record Outcome(boolean done, Duration delay) {
        static final Outcome DONE = new Outcome(true, Duration.ZERO);

        static Outcome again(Duration delay) {
            return new Outcome(false, delay.isNegative() ? Duration.ZERO : delay);
        }
    }

    private final DeliveryQueues queues;
    private final FanOut fanOut;
    private final DeliveryStore deliveries;
    private final DistributorStore distributors;
    private final WebhookSender sender;
    private final RetryPolicy retries;
    private final DeliveryMetrics metrics;
    /** The longest one attempt can take (connect, then headers and the capped body): no attempt starts later than this before the deadline. */
    private final Duration attemptReserve;
    private final ExecutorService groups = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-delivery");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock = Clock.systemUTC();

    public DeliveryWorker(DeliveryQueues queues, FanOut fanOut, DeliveryStore deliveries, DistributorStore distributors,
                          WebhookSender sender, RetryPolicy retries, DeliveryMetrics metrics,
                          @Value("${webhooks.connect-timeout:3s}") Duration connectTimeout,
                          @Value("${webhooks.read-timeout:10s}") Duration readTimeout) {
        this.queues = queues;
        this.fanOut = fanOut;
        this.deliveries = deliveries;
        this.distributors = distributors;
        this.sender = sender;
        this.retries = retries;
        this.metrics = metrics;
        this.attemptReserve = connectTimeout.plus(readTimeout.multipliedBy(2)).plusSeconds(2);
    }

    /** Handles a batch; returns the ids of the messages that stay on the queue. */
    public List<String> handle(List<QueueMessage> batch, Instant deadline) {
        Map<String, List<QueueMessage>> byGroup = new LinkedHashMap<>();
        for (QueueMessage m : batch) {
            byGroup.computeIfAbsent(m.queue() + "/" + m.groupId(), g -> new ArrayList<>()).add(m);
        }
        List<Future<List<String>>> running = new ArrayList<>();
        for (List<QueueMessage> group : byGroup.values()) {
            running.add(groups.submit(() -> handleGroup(group, deadline)));
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            try {
                failed.addAll(running.get(i).get());
            } catch (ExecutionException e) {
                // handleGroup catches per message; this is a bug or an unreachable queue: the group comes back
                LOG.error("Delivery group failed: {}", e.getCause().getClass().getName());
                new ArrayList<>(byGroup.values()).get(i).forEach(m -> failed.add(m.messageId()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                new ArrayList<>(byGroup.values()).get(i).forEach(m -> failed.add(m.messageId()));
            }
        }
        return failed;
    }

    private List<String> handleGroup(List<QueueMessage> group, Instant deadline) {
        List<String> failed = new ArrayList<>();
        Duration delay = Duration.ZERO;
        for (QueueMessage m : group) {
            if (failed.isEmpty()) {
                Outcome outcome;
                if (clock.instant().plus(attemptReserve).isAfter(deadline)) {
                    outcome = Outcome.again(Duration.ZERO); // no time left in this invocation: the next one takes it
                } else {
                    try {
                        outcome = process(m);
                    } catch (RuntimeException e) {
                        LOG.error("Message {} of {} failed: {}", m.messageId(), m.queue(), e.getClass().getName());
                        outcome = Outcome.again(ERROR_BACKOFF);
                    }
                }
                if (outcome.done()) {
                    continue;
                }
                delay = outcome.delay();
            }
            // this one and every later one of its group come back together, in order
            queues.delay(m, delay);
            failed.add(m.messageId());
        }
        return failed;
    }

    Outcome process(QueueMessage m) {
        if (m.queue() == DeliveryQueues.Queue.FAN_OUT) {
            // not finished: back to the head of the node's group at once, after the other groups' turns
            return fanOut.step(queues.read(m, DeliveryMessages.FanOut.class)) ? Outcome.DONE : Outcome.again(Duration.ZERO);
        }
        DeliveryMessages.Deliver message = queues.read(m, DeliveryMessages.Deliver.class);
        Optional<Delivery> delivery = deliveries.find(message.distributorId(), message.eventId());
        if (delivery.isEmpty() || delivery.get().state() != Delivery.State.PENDING) {
            return Outcome.DONE; // a copy of a message already handled
        }
        Delivery d = delivery.get();
        Instant now = clock.instant();
        if (d.nextAttemptAt() != null && d.nextAttemptAt().isAfter(now.plusSeconds(1))) {
            return Outcome.again(Duration.between(now, d.nextAttemptAt())); // early copy: wait for its backoff
        }
        return attempt(d, now);
    }

    private Outcome attempt(Delivery d, Instant now) {
        Optional<Distributor> distributor = distributors.find(d.distributorId());
        try {
            if (distributor.isEmpty() || distributor.get().meta() == null) {
                deliveries.recordAttempt(d, Delivery.State.FAILED, null,
                        distributor.isEmpty() ? "distributor was deleted" : "webhook was removed", null, now);
                return Outcome.DONE;
            }
            Distributor target = distributor.get();
            WebhookSender.Result result = sender.send(target.meta(), target.signingSecret(), d.eventId(), d.eventType(), d.payload());
            Instant done = clock.instant();
            if (result.delivered()) {
                deliveries.recordAttempt(d, Delivery.State.DELIVERED, result.statusCode(), null, null, done);
                return Outcome.DONE;
            }
            if (!result.retryable()) {
                deliveries.recordAttempt(d, Delivery.State.FAILED, result.statusCode(), result.error(), null, done);
                return Outcome.DONE;
            }
            Instant first = d.firstAttemptAt() == null ? now : d.firstAttemptAt();
            Instant next = retries.nextAttempt(d.attempts() + 1, first, done);
            if (next == null) {
                deliveries.recordAttempt(d, Delivery.State.DEAD, result.statusCode(), result.error(), null, done);
                metrics.deadLetter(d.eventId(), d.distributorId(), done);
                return Outcome.DONE;
            }
            deliveries.recordAttempt(d, Delivery.State.PENDING, result.statusCode(), result.error(), next, done);
            return Outcome.again(Duration.between(clock.instant(), next));
        } catch (ConditionalCheckFailedException anotherCopy) {
            return Outcome.DONE; // the same attempt was recorded by a worker holding another copy of the message
        }
    }

    @PreDestroy
    void stop() {
        groups.shutdownNow();
    }
}
