package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.util.OptionalLong;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.atomicCounter;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Requests per API key per minute, counted in DynamoDB so every Lambda instance shares the count:
 * one conditional increment per request on the key's item for the current minute (fixed window).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class RateLimiter {

    /**
     * One key's window: {@code RATE#<key>#<minute>} / {@code RATE}; {@code hits} an atomic counter
     * (every update adds one), {@code expires_at} the TTL, a minute after the window.
     */
    record Window(String keyId, long minute, @Nullable Long hits, long expiresAt) {
    }

    static final TableSchema<Window> SCHEMA = StaticImmutableTableSchema.builder(Window.class, WindowBuilder.class)
            .newItemBuilder(WindowBuilder::new, WindowBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(w -> "RATE#" + w.keyId() + "#" + w.minute())
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(w -> "RATE").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(Long.class, a -> a.name("hits").getter(Window::hits).setter((b, v) -> b.hits = v)
                    .tags(atomicCounter(1, 1)))
            .addAttribute(Long.class, a -> a.name(IntegrationTable.EXPIRES_AT).getter(Window::expiresAt)
                    .setter((b, v) -> b.expiresAt = v))
            .build();

    private final DynamoDbTable<Window> windows;
    private final Expression underLimit;
    private final Clock clock = Clock.systemUTC();

    public RateLimiter(DynamoDbEnhancedClient dynamo, IntegrationTable table,
                       @Value("${integration.rate-limit-per-minute:50}") int perMinute) {
        this.windows = dynamo.table(table.name(), SCHEMA);
        this.underLimit = Conditions.of("attribute_not_exists(hits) OR hits < :value", Conditions.n(perMinute));
    }

    /** Empty when the request may go on; otherwise the seconds until the next window. */
    public OptionalLong acquire(String keyId) {
        long now = clock.instant().getEpochSecond();
        long minute = now / 60;
        try {
            windows.updateItem(UpdateItemEnhancedRequest.builder(Window.class)
                    .item(new Window(keyId, minute, null, (minute + 2) * 60)).ignoreNulls(true)
                    .conditionExpression(underLimit).returnValues(ReturnValue.NONE).build());
            return OptionalLong.empty();
        } catch (ConditionalCheckFailedException e) {
            return OptionalLong.of(Math.max(1, (minute + 1) * 60 - now));
        }
    }

    private static final class WindowBuilder {
        private Long hits;
        private Long expiresAt;

        Window build() {
            return new Window(null, 0, hits, expiresAt == null ? 0 : expiresAt);
        }
    }
}
