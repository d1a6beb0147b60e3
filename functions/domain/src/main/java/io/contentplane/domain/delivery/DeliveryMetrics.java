package io.contentplane.domain.delivery;

import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery metrics in CloudWatch embedded metric format, through AWS's EMF library: one record per
 * dead letter, metric {@code contentplane/DeadLetters} without dimensions (what DeadLetterAlarm in
 * template.yaml watches), with the event and distributor ids as properties for finding it in the logs.
 * The Lambda environment writes the records to standard output, which Lambda ships to CloudWatch
 * Logs; it is set explicitly so the library never probes for an agent or instance metadata.
 */
@Singleton
public class DeliveryMetrics {
    static final String NAMESPACE = "contentplane";
    private final Environment environment;
    private final AtomicInteger deadLetters = new AtomicInteger();

    public DeliveryMetrics() {
        this(new LambdaEnvironment());
    }

    DeliveryMetrics(Environment environment) {
        this.environment = environment;
    }

    public void deadLetter(String eventId, String distributorId, Instant at) {
        deadLetters.incrementAndGet();
        MetricsLogger metrics = new MetricsLogger(environment);
        metrics.setNamespace(NAMESPACE);
        metrics.setDimensions(new DimensionSet()); // one empty dimension set: the metric without dimensions
        metrics.setTimestamp(at);
        metrics.putMetric("DeadLetters", 1, Unit.COUNT);
        metrics.putProperty("event_id", eventId);
        metrics.putProperty("distributor_id", distributorId);
        metrics.flush();
    }

    /** Dead letters since start. */
    public int deadLetters() {
        return deadLetters.get();
    }
}
