package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryMessages;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.delivery.RetryPolicy;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.event.NodeEvent;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.webhook.WebhookSender;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the delivery function. Before the snapshot it runs the fan-out and delivery
 * paths on ids that cannot exist (random UUIDs), so what a first message after a restore needs is
 * loaded and initialised in the snapshot, while no tenant's item changes, no message is queued or
 * hidden and no webhook is called:
 * <ol>
 * <li>a fan-out message and a delivery message, each as an SQS event through the handler (the
 *     event's records, the message JSON (serde), the worker's per-group threads, the partial batch
 *     answer): the fan-out step reads its cursor (a GetItem) and its node's first page of
 *     distributors (a Query of gsi1), the delivery reads the delivery's event entry (a GetItem); each
 *     finds nothing, so the step is done and the answer names no failure. Neither reaches SQS: a done
 *     message needs no visibility change, and an empty page queues nothing;</li>
 * <li>the attempt's own store calls: the distributor's GetItem, and the conditional PutItem that
 *     records an attempt, on a delivery that does not exist, so its condition ({@code attempts = 0})
 *     fails and DynamoDB writes nothing; the worker meets the same {@link ConditionalCheckFailedException}
 *     when another copy of a message recorded the attempt first;</li>
 * <li>the webhook request of an attempt, signed, with Basic credentials, built by
 *     {@link WebhookSender#prepare} for {@code https://192.0.2.1} (TEST-NET-1, RFC 5737: an IP
 *     literal, so nothing is resolved) and never sent: the exchange is the one step left out;</li>
 * <li>the backoff after a first failed attempt ({@link RetryPolicy}).</li>
 * </ol>
 * The handler must answer both messages as done: a store call refused (say by the IAM policy's
 * LeadingKeys, template.yaml) fails the snapshot instead of the first deliveries after a restore.
 * A metric is never written (a dead letter would be counted).
 */
final class DeliveryPriming implements Resource {
    /** Where the priming request would go: an address reserved for documentation, never resolved, never sent to. */
    static final String TARGET = "https://192.0.2.1";
    private static final String REGION_ACCOUNT = "arn:aws:sqs:priming:000000000000:";

    private final DeliveryQueueFunction handler;
    private volatile Warmup warmup;

    /** What the last {@link #beforeCheckpoint} did, for tests to check. */
    record Warmup(List<Map<String, Object>> answers, boolean attemptRecordRefused, String secret, String eventId,
                  String payload, HttpRequest request, Duration backoff) {
    }

    DeliveryPriming(DeliveryQueueFunction handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        ApplicationContext beans = handler.getApplicationContext();
        JsonMapper json = beans.getBean(JsonMapper.class);
        Instant now = Instant.now();
        String nodeId = UUID.randomUUID().toString();
        String distributorId = UUID.randomUUID().toString();
        NodeEvent event = NodeEvent.of(EventTypes.NODE_WORKER_CHANGED, nodeId, now, Map.of("worker_id", 7));
        String payload = event.payload(json);

        Map<String, Object> fanOut = handled(sqsEvent("priming-fan-out.fifo", "node-" + nodeId,
                write(json, new DeliveryMessages.FanOut(event.id(), event.type(), nodeId, now, payload))));
        Map<String, Object> delivery = handled(sqsEvent("priming-delivery.fifo", distributorId,
                write(json, new DeliveryMessages.Deliver(distributorId, event.id()))));

        if (beans.getBean(DistributorStore.class).find(distributorId).isPresent()) {
            throw new IllegalStateException("a random distributor id exists");
        }
        boolean refused;
        try {
            beans.getBean(DeliveryStore.class).recordAttempt(new Delivery(distributorId, event.id(), event.type(), nodeId,
                    payload, now, Delivery.State.PENDING, 0, null, null, now, null), Delivery.State.DELIVERED, 204, null, null, now);
            refused = false;
        } catch (ConditionalCheckFailedException expected) {
            refused = true;
        }
        if (!refused) {
            throw new IllegalStateException("priming recorded an attempt of a delivery that does not exist");
        }

        String secret = WebhookSignature.newSecret();
        WebhookSender.Attempt attempt = beans.getBean(WebhookSender.class).prepare(new WebhookMeta(TARGET, "/priming", 2,
                        new WebhookMeta.Authentication(WebhookMeta.Authentication.BASIC, "priming", "priming", null)),
                secret, event.id(), event.type(), payload);
        if (attempt.request() == null) {
            throw new IllegalStateException("the priming request was refused: " + attempt.refused().error());
        }
        // Puts the jitter's generator (ThreadLocalRandom) in the snapshot, as DispatcherPriming explains: harmless.
        Instant next = beans.getBean(RetryPolicy.class).nextAttempt(1, now, now);
        warmup = new Warmup(List.of(fanOut, delivery), refused, secret, event.id(), payload, attempt.request(),
                Duration.between(now, next));
    }

    /**
     * Only re-reads the secrets. DynamoDB needs nothing (see {@code DispatcherPriming#afterRestore});
     * nor does the webhook client, which opened no connection. Any work here would delay every restore.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) throws Exception {
        SecretsRefresh.afterRestore(handler.getApplicationContext(), System.getenv());
    }

    Warmup warmup() {
        return warmup;
    }

    /** The handler's answer to {@code sqsEvent}, which must name no failure (the first refusal stops priming). */
    private Map<String, Object> handled(Map<String, Object> sqsEvent) {
        // No Lambda context: a real one is registered as a bean per request, a fake one must not linger.
        Map<String, Object> answer = handler.handleRequest(sqsEvent, null);
        if (!List.of().equals(answer.get("batchItemFailures"))) {
            throw new IllegalStateException("a priming message was not handled: " + answer);
        }
        return answer;
    }

    /** An SQS event of one message as the event source mapping hands it to the function. */
    private static Map<String, Object> sqsEvent(String queue, String groupId, String body) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", Long.toString(System.currentTimeMillis()));
        attributes.put("MessageGroupId", groupId);
        attributes.put("MessageDeduplicationId", UUID.randomUUID().toString());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", "priming-" + UUID.randomUUID());
        record.put("receiptHandle", "priming");
        record.put("body", body);
        record.put("attributes", attributes);
        record.put("messageAttributes", Map.of());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", REGION_ACCOUNT + queue);
        record.put("awsRegion", "priming");
        return Map.of("Records", List.of(record));
    }

    private static String write(JsonMapper json, Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
