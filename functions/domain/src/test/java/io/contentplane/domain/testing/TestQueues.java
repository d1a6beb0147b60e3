package io.contentplane.domain.testing;

import io.contentplane.domain.delivery.DeliveryQueues;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery queues on the LocalStack the build starts ({@link LocalStack}): each caller gets its
 * own pair of FIFO queues, so tests never see each other's messages.
 */
public final class TestQueues {
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private TestQueues() {
    }

    public static SqsClient client() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .endpointOverride(URI.create(LocalStack.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    /** Properties pointing a context's SQS client at LocalStack, with two fresh queues. */
    public static Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("sqs.endpoint", LocalStack.endpoint());
        p.put("sqs.region", "eu-west-1");
        try (SqsClient sqs = client()) {
            p.putAll(DeliveryQueues.create(sqs, "test-" + QUEUES.incrementAndGet() + "-" + System.nanoTime()));
        }
        return p;
    }
}
