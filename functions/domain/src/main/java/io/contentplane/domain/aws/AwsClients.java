package io.contentplane.domain.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * The one recipe of the functions' AWS clients (DynamoDB, SQS): the URL-connection HTTP client (no
 * Apache or Netty client to load on a cold start), short timeouts, the region and credentials from
 * the Lambda environment; or, with an endpoint (LocalStack, DynamoDB Local: tests and the local
 * runner), that endpoint with dummy credentials.
 */
public final class AwsClients {

    private AwsClients() {
    }

    /** Configures {@code builder}; a blank {@code region} means AWS_REGION (default eu-west-1). */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, String endpoint, String region) {
        builder.httpClient(UrlConnectionHttpClient.builder()
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
        return builder;
    }
}
