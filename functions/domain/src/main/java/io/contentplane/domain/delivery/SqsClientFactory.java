package io.contentplane.domain.delivery;

import io.contentplane.domain.aws.AwsClients;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS client of webhook delivery, built by the functions' one AWS client recipe ({@link AwsClients}),
 * on first use. {@code sqs.endpoint} points it
 * at LocalStack (tests, local runner) with dummy credentials.
 */
@Requires(classes = SqsClient.class)
@Factory
public class SqsClientFactory {

    @Singleton
    public SqsClient sqsClient(@Value("${sqs.endpoint:}") String endpoint, @Value("${sqs.region:}") String region) {
        return AwsClients.configure(SqsClient.builder(), endpoint, region).build();
    }
}
