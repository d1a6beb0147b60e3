package io.contentplane.domain.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dead-letter record as the EMF library writes it: what CloudWatch turns into contentplane/DeadLetters. */
class DeliveryMetricsTest {

    /** The Lambda environment's record, kept instead of printed. */
    static final class Recording implements Environment, ISink {
        final List<String> records = new ArrayList<>();

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "contentplane-dispatcher";
        }

        @Override
        public String getType() {
            return "AWS::Lambda::Function";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/contentplane-dispatcher";
        }

        @Override
        public void configureContext(MetricsContext context) {
        }

        @Override
        public ISink getSink() {
            return this;
        }

        @Override
        public void accept(MetricsContext context) {
            try {
                records.addAll(context.serialize());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void aDeadLetterIsOneEmbeddedMetricRecordWithoutDimensions() throws Exception {
        Recording environment = new Recording();
        DeliveryMetrics metrics = new DeliveryMetrics(environment);
        Instant at = Instant.parse("2026-11-30T12:00:00.123Z");

        metrics.deadLetter("evt_1", "dist-1", at);

        assertEquals(1, environment.records.size(), environment.records.toString());
        JsonNode record = new ObjectMapper().readTree(environment.records.get(0));
        JsonNode aws = record.get("_aws");
        assertEquals(at.toEpochMilli(), aws.get("Timestamp").asLong());
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertEquals("contentplane", directive.get("Namespace").asText());
        // the alarm watches the metric without dimensions: exactly one, empty, dimension set
        assertEquals("[[]]", directive.get("Dimensions").toString());
        assertEquals("[{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"}]", directive.get("Metrics").toString());
        assertEquals(1.0, record.get("DeadLetters").asDouble());
        assertEquals("evt_1", record.get("event_id").asText());
        assertEquals("dist-1", record.get("distributor_id").asText());
        assertEquals(1, metrics.deadLetters());
    }
}
