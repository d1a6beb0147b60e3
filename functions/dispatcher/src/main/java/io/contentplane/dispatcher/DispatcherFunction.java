package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.Dispatcher;
import io.contentplane.domain.secrets.SecretsRefresh;
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
 * The dispatcher Lambda, invoked every minute by a schedule (template.yaml). Each invocation runs
 * delivery cycles about once a second for {@code dispatcher.run-for} (so events go out within about a
 * second, not a minute), then lets attempts in flight finish: run-for (45 s in template.yaml) plus
 * {@link #RESERVE} stays under the function's 60 s timeout. Overlapping invocations are safe:
 * relays and attempt records are conditional, and deliveries are claimed before each attempt.
 * It registers its SnapStart priming when constructed, during the function's initialisation.
 */
public class DispatcherFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Time kept for in-flight attempts (connect + read timeouts) before the invocation ends. */
    static final Duration RESERVE = Duration.ofSeconds(15);

    @Inject
    Dispatcher dispatcher;

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

    /** The secrets template.yaml names by ARN, read from Secrets Manager before the context starts. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return SecretsRefresh.initial(super.newApplicationContextBuilder(), System.getenv());
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> scheduledEvent) {
        long started = System.nanoTime();
        int cycles = 0;
        try {
            do {
                dispatcher.cycle();
                cycles++;
                Thread.sleep(interval.toMillis());
            } while (System.nanoTime() - started < runFor.toNanos());
            dispatcher.awaitIdle(RESERVE.minusSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cycles", cycles);
        summary.put("dead_letters", dispatcher.deadLetters());
        return summary;
    }

    DispatcherPriming priming() {
        return priming;
    }
}
