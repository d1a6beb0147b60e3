package io.contentplane.domain.dynamo;

import io.contentplane.domain.aws.AwsClients;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.extensions.AtomicCounterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

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
        DynamoDbClientBuilder builder = AwsClients.configure(DynamoDbClient.builder(), endpoint, region);
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
