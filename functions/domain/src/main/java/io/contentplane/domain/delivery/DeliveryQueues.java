package io.contentplane.domain.delivery;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two FIFO queues of webhook delivery. The fan-out queue carries one message per event, grouped
 * by node (a node's events fan out one after the other, in order); the delivery queue carries one
 * message per event and distributor, grouped by distributor (SQS hands out a group's messages in
 * order, one at a time, so a distributor's deliveries stay in event order while every other group
 * goes on). Deduplication ids make a repeated relay or fan-out step within five minutes a no-op;
 * later repeats are caught by the delivery's state.
 */
@Requires(classes = SqsClient.class)
@Singleton
public class DeliveryQueues {
    /** SQS's limit of entries per SendMessageBatch. */
    static final int SEND_BATCH = 10;
    static final String FAN_OUT_SUFFIX = "-fan-out.fifo";
    static final String DELIVERY_SUFFIX = "-delivery.fifo";

    public enum Queue { FAN_OUT, DELIVERY }

    private final SqsClient sqs;
    private final JsonMapper json;
    private final String fanOutUrl;
    private final String deliveryUrl;

    public DeliveryQueues(SqsClient sqs, JsonMapper json,
                          @Value("${delivery.fan-out-queue-url:}") String fanOutUrl,
                          @Value("${delivery.queue-url:}") String deliveryUrl) {
        this.sqs = sqs;
        this.json = json;
        this.fanOutUrl = fanOutUrl;
        this.deliveryUrl = deliveryUrl;
    }

    public String url(Queue queue) {
        String url = queue == Queue.FAN_OUT ? fanOutUrl : deliveryUrl;
        if (url.isBlank()) {
            throw new IllegalStateException("delivery." + (queue == Queue.FAN_OUT ? "fan-out-queue-url" : "queue-url")
                    + " is not set (DELIVERY_FAN_OUT_QUEUE_URL / DELIVERY_QUEUE_URL)");
        }
        return url;
    }

    /**
     * The queue an event source ARN ({@code arn:aws:sqs:region:account:name}) names: queues are named
     * {@code <prefix>-fan-out.fifo} and {@code <prefix>-delivery.fifo} (template.yaml, {@link #create}).
     */
    public static Queue queueOf(String eventSourceArn) {
        String name = eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
        if (name.endsWith(FAN_OUT_SUFFIX)) {
            return Queue.FAN_OUT;
        }
        if (name.endsWith(DELIVERY_SUFFIX)) {
            return Queue.DELIVERY;
        }
        throw new IllegalArgumentException("Not a delivery queue: " + eventSourceArn);
    }

    /**
     * Creates the two FIFO queues ({@code <prefix>-fan-out.fifo}, {@code <prefix>-delivery.fifo}) where
     * nothing else does (the local runner and tests on LocalStack; template.yaml in AWS) and returns the
     * properties that name them. Creating an existing queue with the same attributes returns it.
     */
    public static Map<String, Object> create(SqsClient sqs, String prefix) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("delivery.fan-out-queue-url", createFifo(sqs, prefix + FAN_OUT_SUFFIX));
        properties.put("delivery.queue-url", createFifo(sqs, prefix + DELIVERY_SUFFIX));
        return properties;
    }

    private static String createFifo(SqsClient sqs, String name) {
        return sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
    }

    /** One fan-out message per event, in the given order. */
    public void publishFanOut(List<DeliveryMessages.FanOut> events) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (DeliveryMessages.FanOut e : events) {
            entries.add(SendMessageBatchRequestEntry.builder().messageBody(write(e))
                    .messageGroupId("node-" + e.nodeId()).messageDeduplicationId(e.eventId()).build());
        }
        send(Queue.FAN_OUT, entries);
    }

    /**
     * One delivery message per distributor and event. {@code round} tells a redelivery (its attempt count)
     * from the first delivery, which deduplication would otherwise drop within five minutes.
     */
    public void publishDeliveries(List<DeliveryMessages.Deliver> deliveries, String round) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (DeliveryMessages.Deliver d : deliveries) {
            entries.add(SendMessageBatchRequestEntry.builder().messageBody(write(d))
                    .messageGroupId(d.distributorId()).messageDeduplicationId(d.distributorId() + ":" + d.eventId() + round).build());
        }
        send(Queue.DELIVERY, entries);
    }

    /** Hides a received message for {@code delay} (0 to 12 h): its backoff, or 0 to hand it out again now. */
    public void delay(QueueMessage message, Duration delay) {
        int seconds = (int) Math.min(Duration.ofHours(12).toSeconds() - 1, Math.max(0, (delay.toMillis() + 999) / 1000));
        sqs.changeMessageVisibility(r -> r.queueUrl(url(message.queue())).receiptHandle(message.receiptHandle())
                .visibilityTimeout(seconds));
    }

    <T> T read(QueueMessage message, Class<T> type) {
        try {
            return json.readValue(message.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(Queue queue, List<SendMessageBatchRequestEntry> entries) {
        for (int from = 0; from < entries.size(); from += SEND_BATCH) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int i = from; i < Math.min(entries.size(), from + SEND_BATCH); i++) {
                batch.add(entries.get(i).toBuilder().id("m" + (i - from)).build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(url(queue)).entries(batch));
            if (!response.failed().isEmpty()) {
                BatchResultErrorEntry first = response.failed().get(0);
                // The caller keeps its outbox entries and tries again; sends that succeeded are deduplicated then.
                throw new IllegalStateException("SQS refused " + response.failed().size() + " of " + batch.size()
                        + " messages: " + first.code());
            }
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
