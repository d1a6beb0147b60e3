package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryWorker;
import io.contentplane.domain.delivery.QueueMessage;
import io.contentplane.domain.lambda.FunctionContexts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.annotation.Value;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.crac.Core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The delivery Lambda: SQS event source mappings of the fan-out and delivery queues
 * (template.yaml, FunctionResponseTypes ReportBatchItemFailures) hand it batches of messages; it
 * answers with the partial batch response {@code {"batchItemFailures":[{"itemIdentifier":id}]}}
 * naming the messages that stay on their queue (backoff, or a fan-out that continues). See
 * {@link DeliveryWorker}. It registers its SnapStart priming ({@link DeliveryPriming}) when
 * constructed, during the function's initialisation.
 */
public class DeliveryQueueFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    @Inject
    DeliveryWorker worker;

    /** The function's timeout (template.yaml): no attempt starts that could outlast the invocation. */
    @Value("${delivery.invocation-timeout:60s}")
    Duration invocationTimeout;

    // Held here because CRaC runtimes may hold registered resources weakly.
    private final DeliveryPriming priming = new DeliveryPriming(this);

    public DeliveryQueueFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public DeliveryQueueFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    /** Beans created when first needed, secrets read first (see {@link FunctionContexts}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.builder();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(Map<String, Object> sqsEvent) {
        Instant deadline = Instant.now().plus(invocationTimeout);
        List<QueueMessage> batch = new ArrayList<>();
        for (Map<String, Object> record : (List<Map<String, Object>>) sqsEvent.getOrDefault("Records", List.of())) {
            Map<String, Object> attributes = (Map<String, Object>) record.getOrDefault("attributes", Map.of());
            batch.add(new QueueMessage((String) record.get("messageId"), (String) record.get("receiptHandle"),
                    (String) record.get("body"), (String) attributes.get("MessageGroupId"),
                    DeliveryQueues.queueOf((String) record.get("eventSourceARN"))));
        }
        List<Map<String, Object>> failures = worker.handle(batch, deadline).stream()
                .map(id -> Map.<String, Object>of("itemIdentifier", id)).toList();
        return Map.of("batchItemFailures", failures);
    }

    DeliveryPriming priming() {
        return priming;
    }
}
