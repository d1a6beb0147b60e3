package io.contentplane.migrate;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The answer to one CloudFormation custom-resource request, PUT to the request's pre-signed
 * ResponseURL (CloudFormation waits for it; the Lambda's return value is ignored). A FAILED answer's
 * Reason is what the stack events show, so it says what failed; it never holds a secret.
 */
record CustomResourceResponse(String status, String reason, String physicalResourceId, String stackId,
                              String requestId, String logicalResourceId, Map<String, String> data) {
    static final String SUCCESS = "SUCCESS";
    static final String FAILED = "FAILED";
    /** The whole response may be at most 4,096 bytes; the reason gets what the other fields leave. */
    static final int MAX_REASON = 2_000;

    static CustomResourceResponse success(CloudFormationCustomResourceEvent event, String physicalResourceId,
                                          String reason, Map<String, String> data) {
        return new CustomResourceResponse(SUCCESS, reason, physicalResourceId, event.getStackId(),
                event.getRequestId(), event.getLogicalResourceId(), data);
    }

    static CustomResourceResponse failed(CloudFormationCustomResourceEvent event, String physicalResourceId, String reason) {
        String shortened = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 3) + "..." : reason;
        return new CustomResourceResponse(FAILED, shortened, physicalResourceId, event.getStackId(),
                event.getRequestId(), event.getLogicalResourceId(), Map.of());
    }

    /** The JSON body CloudFormation expects. */
    byte[] json() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Status", status);
            g.writeStringField("Reason", reason);
            g.writeStringField("PhysicalResourceId", physicalResourceId);
            g.writeStringField("StackId", stackId);
            g.writeStringField("RequestId", requestId);
            g.writeStringField("LogicalResourceId", logicalResourceId);
            g.writeBooleanField("NoEcho", false);
            g.writeObjectFieldStart("Data");
            for (Map.Entry<String, String> e : data.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * PUTs the answer to {@code responseUrl}, three attempts over a few seconds. Without a Content-Type
     * header: the URL's signature covers none. Throws when every attempt failed (the stack then waits
     * for the custom resource's ServiceTimeout).
     */
    void send(HttpClient http, String responseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(responseUrl))
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json()))
                .build();
        String lastProblem = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while sending the custom resource response", e);
            }
            if (attempt < 3) {
                sleep(attempt * 1_000L);
            }
        }
        throw new IllegalStateException("The custom resource response could not be sent: " + lastProblem);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
