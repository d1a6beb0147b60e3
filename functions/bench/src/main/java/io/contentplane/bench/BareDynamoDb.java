package io.contentplane.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;

/**
 * The DynamoDB client of the DynamoDB baselines, set up as the functions' DynamoDbClientFactory sets
 * theirs (URL-connection HTTP client, its timeouts, the endpoint override). Kept out of
 * {@link Baselines}, which the JDBC baselines load without the AWS SDK on their classpath.
 */
final class BareDynamoDb {

    private BareDynamoDb() {
    }

    static DynamoDbClient client() {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .region(Region.of(Baselines.requiredEnv("AWS_REGION")))
                .endpointOverride(URI.create(Baselines.requiredEnv("DYNAMODB_ENDPOINT")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
