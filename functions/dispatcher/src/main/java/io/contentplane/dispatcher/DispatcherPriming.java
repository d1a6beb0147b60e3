package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.delivery.RetryPolicy;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.event.NodeEvent;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.lambda.JdbcPriming;
import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import org.crac.Context;
import org.crac.Resource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the dispatcher. It never runs a delivery cycle: that would relay and deliver
 * queued events (writes, and calls to distributors' webhooks) whenever a version is published.
 * Instead it exercises what a cycle uses, with synthetic data, writing nothing and calling no webhook:
 * <ul>
 * <li>JSON (serde): the payload of a synthetic {@code distributor.created} event of a synthetic webhook;</li>
 * <li>the Standard Webhooks signature (HMAC-SHA256) of that payload, with a fresh secret;</li>
 * <li>the retry policy's backoff after a first failed attempt;</li>
 * <li>the DynamoDB client (signing, HTTP, unmarshalling): a GetItem of a distributor with a random
 *     id, which finds nothing;</li>
 * <li>JDBC, the pool's first connection and micronaut-data: the relay's query of the pending outbox,
 *     limited to one row, which only reads.</li>
 * </ul>
 * The {@code Dispatcher} bean and its stores need no touching: the handler's construction (during the
 * function's initialisation) injected them, so they exist before the snapshot anyway.
 */
final class DispatcherPriming implements Resource {
    private final DispatcherFunction handler;
    private volatile Warmup warmup;

    /** What the last {@link #beforeCheckpoint} computed, for tests to check. */
    record Warmup(String secret, String eventId, long timestamp, String payload, String signature, Duration backoff) {
    }

    DispatcherPriming(DispatcherFunction handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        ApplicationContext beans = handler.getApplicationContext();
        Instant now = Instant.now();
        WebhookMeta meta = new WebhookMeta("https://priming.invalid", "/webhook", 2,
                new WebhookMeta.Authentication(WebhookMeta.Authentication.BASIC, "priming", "priming", null));
        NodeEvent event = NodeEvent.of(EventTypes.DISTRIBUTOR_CREATED, UUID.randomUUID().toString(), now,
                Map.of("distributor_id", UUID.randomUUID().toString(), "meta", described(meta)));
        String payload = event.payload(beans.getBean(JsonMapper.class));
        String secret = WebhookSignature.newSecret();
        String signature = WebhookSignature.sign(secret, event.id(), now.getEpochSecond(), payload);
        // Puts the jitter's generator (ThreadLocalRandom) in the snapshot, so restored environments draw
        // the same jitter sequence. Harmless: jitter spreads one dispatcher's retries over time, and
        // overlapping invocations never record the same attempt twice.
        Instant next = beans.getBean(RetryPolicy.class).nextAttempt(1, now, now);
        // The relay's own reads, nothing else: its policy admits only the outbox's and the redeliveries'
        // item kinds (template.yaml, dynamodb:LeadingKeys), and a refused call here would fail the snapshot.
        beans.getBean(DeliveryStore.class).redeliveries(1);
        beans.getBean(EventOutboxRepository.class).pending(1);
        warmup = new Warmup(secret, event.id(), now.getEpochSecond(), payload, signature, Duration.between(now, next));
    }

    /**
     * Only closes the connection priming left in the pool (a socket from before the snapshot is dead
     * after a restore; see {@link JdbcPriming#evictPooledConnections}). DynamoDB needs nothing: the
     * URL-connection client reuses a JDK keep-alive connection only within its idle timeout (5 s by
     * default, on the wall clock, which has moved on at a restore), and the SDK retries a request whose
     * connection failed. Nothing else: any work here would delay every restore.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) throws Exception {
        SecretsRefresh.afterRestore(handler.getApplicationContext(), System.getenv());
        JdbcPriming.evictPooledConnections(handler.getApplicationContext());
    }

    Warmup warmup() {
        return warmup;
    }

    /** A webhook as distributor events describe it: no credentials. */
    private static Map<String, Object> described(WebhookMeta meta) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("host", meta.host());
        described.put("path", meta.path());
        described.put("method", meta.methodName());
        described.put("authentication_type", meta.authentication().type());
        return described;
    }
}
