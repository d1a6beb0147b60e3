package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Requests per API key per minute, counted in DynamoDB so every Lambda instance shares the count:
 * one conditional increment per request on the key's item for the current minute (fixed window).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class RateLimiter {
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;
    private final int perMinute;
    private final Clock clock = Clock.systemUTC();

    public RateLimiter(DynamoDbClient dynamo, IntegrationTable table,
                       @Value("${integration.rate-limit-per-minute:50}") int perMinute) {
        this.dynamo = dynamo;
        this.table = table;
        this.perMinute = perMinute;
    }

    /** Empty when the request may go on; otherwise the seconds until the next window. */
    public OptionalLong acquire(String keyId) {
        long now = clock.instant().getEpochSecond();
        long minute = now / 60;
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Items.key("RATE#" + keyId + "#" + minute, "RATE"))
                    .updateExpression("ADD hits :one SET expires_at = :exp")
                    .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                    .expressionAttributeValues(Map.of(":one", Items.n(1), ":limit", Items.n(perMinute),
                            ":exp", Items.n((minute + 2) * 60)))
                    .build());
            return OptionalLong.empty();
        } catch (ConditionalCheckFailedException e) {
            return OptionalLong.of(Math.max(1, (minute + 1) * 60 - now));
        }
    }
}
