package io.contentplane.domain.dynamo;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.extensions.AtomicCounterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The DynamoDB client: URL-connection HTTP client (cheapest to start), region and credentials from
 * the Lambda environment, built on first use only. {@code dynamodb.endpoint} points it at DynamoDB
 * Local (local runner, tests) with dummy credentials. {@link ExecutionInterceptor} beans are added
 * to it: production declares none; tests register one to count the requests each operation makes.
 * <p>
 * The stores use it through the Enhanced Client, which maps items with the static table schemas
 * of each item kind (built in code, once: no bean introspection). Its only extension is the atomic
 * counter ({@link Counters}); optimistic versions are explicit conditions ({@link Conditions#versionIs}),
 * so a store always knows the version it wrote.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Factory
public class DynamoDbClientFactory {

    @Singleton
    DynamoDbClient dynamoDbClient(@Value("${dynamodb.endpoint:}") String endpoint,
                                  @Value("${dynamodb.region:}") String region,
                                  List<ExecutionInterceptor> interceptors) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
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
        if (!interceptors.isEmpty()) {
            builder.overrideConfiguration(c -> interceptors.forEach(c::addExecutionInterceptor));
        }
        return builder.build();
    }

    @Singleton
    DynamoDbEnhancedClient dynamoDbEnhancedClient(DynamoDbClient dynamo) {
        return DynamoDbEnhancedClient.builder()
                .dynamoDbClient(dynamo)
                .extensions(AtomicCounterExtension.builder().build())
                .build();
    }
}
