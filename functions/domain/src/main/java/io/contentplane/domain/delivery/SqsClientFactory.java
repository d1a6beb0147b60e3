package io.contentplane.domain.delivery;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.time.Duration;

/**
 * The SQS client of webhook delivery, built like the DynamoDB client (URL-connection HTTP client,
 * region and credentials from the Lambda environment, on first use). {@code sqs.endpoint} points it
 * at LocalStack (tests, local runner) with dummy credentials.
 */
@Requires(classes = SqsClient.class)
@Factory
public class SqsClientFactory {

    @Singleton
    public SqsClient sqsClient(@Value("${sqs.endpoint:}") String endpoint, @Value("${sqs.region:}") String region) {
        SqsClientBuilder builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build());
        String awsRegion = !region.isBlank() ? region : System.getenv().getOrDefault("AWS_REGION", "eu-west-1");
        builder.region(Region.of(awsRegion));
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder.build();
    }
}
