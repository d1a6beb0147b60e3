package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.lambda.FunctionContexts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.annotation.Value;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.crac.Core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbox relay Lambda, invoked every minute by a schedule (template.yaml). Each invocation
 * relays both outboxes onto the fan-out queue about once a second for {@code dispatcher.run-for}
 * (45 s in template.yaml, under the function's 60 s timeout), so events leave the outboxes within
 * about a second. A relay step is one message per event, at most 100 per outbox, so it never waits
 * on a webhook or on a node's number of distributors: fan-out and delivery run from the queues
 * ({@link DeliveryQueueFunction}). Overlapping invocations are safe: SQS drops a message sent twice
 * (deduplication by event id) and outbox entries are marked relayed conditionally.
 * It registers its SnapStart priming when constructed, during the function's initialisation.
 */
public class DispatcherFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    @Inject
    EventRelay relay;

    @Value("${dispatcher.run-for:45s}")
    Duration runFor;

    @Value("${dispatcher.interval:1s}")
    Duration interval;

    // Held here because CRaC runtimes may hold registered resources weakly.
    private final DispatcherPriming priming = new DispatcherPriming(this);

    public DispatcherFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public DispatcherFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    /** Beans created when first needed, secrets read first (see {@link FunctionContexts}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.builder();
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> scheduledEvent) {
        long started = System.nanoTime();
        int cycles = 0;
        long relayed = 0;
        try {
            do {
                int step = relay.relay();
                relayed += step;
                cycles++;
                if (step == 0) {
                    // a full step (a backlog) goes on at once; an empty one waits for new events
                    Thread.sleep(interval.toMillis());
                }
            } while (System.nanoTime() - started < runFor.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cycles", cycles);
        summary.put("relayed", relayed);
        return summary;
    }

    DispatcherPriming priming() {
        return priming;
    }
}
