package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Refresh tokens: opaque, 7 days, single use, stored only as SHA-256 hashes. Each belongs to a
 * family (one login); using a token marks it USED and issues its successor in one transaction. A
 * token presented again after use is a theft signal: its whole family is revoked.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class RefreshTokenStore {
    public static final long LIFETIME_SECONDS = 7 * 24 * 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamo;
    private final IntegrationTable table;

    public RefreshTokenStore(DynamoDbClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public enum Outcome { ROTATED, INVALID, REUSED }

    public record Rotation(Outcome outcome, ApiKey key, String token) {
    }

    /** Starts a family (a login) and returns its first refresh token. */
    public String issue(ApiKey key) {
        String family = UUID.randomUUID().toString();
        long expires = Instant.now().getEpochSecond() + LIFETIME_SECONDS;
        String token = newToken();
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(familyItem(family, expires))
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(tokenItem(token, family, key, expires))
                        .conditionExpression("attribute_not_exists(pk)").build()).build()).build());
        return token;
    }

    /** Exchanges a refresh token for its successor. */
    public Rotation rotate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return new Rotation(Outcome.INVALID, null, null);
        }
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(tokenKey(token)).consistentRead(true).build()).item();
        long now = Instant.now().getEpochSecond();
        if (item == null || item.isEmpty() || Items.number(item, "expires_at") <= now) {
            return new Rotation(Outcome.INVALID, null, null);
        }
        String family = Items.string(item, "family");
        ApiKey key = new ApiKey(Items.string(item, "key_id"), Items.string(item, "tenant_id"));
        String next = newToken();
        long expires = now + LIFETIME_SECONDS;
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(tokenKey(token))
                            .updateExpression("SET #state = :used")
                            .conditionExpression("#state = :active")
                            .expressionAttributeNames(Map.of("#state", "state"))
                            .expressionAttributeValues(Map.of(":used", Items.s("USED"), ":active", Items.s("ACTIVE")))
                            .build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(familyKey(family))
                            .updateExpression("SET expires_at = :exp")
                            .conditionExpression("#state = :active")
                            .expressionAttributeNames(Map.of("#state", "state"))
                            .expressionAttributeValues(Map.of(":exp", Items.n(expires), ":active", Items.s("ACTIVE")))
                            .build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                            .item(tokenItem(next, family, key, expires))
                            .conditionExpression("attribute_not_exists(pk)").build()).build()).build());
            return new Rotation(Outcome.ROTATED, key, next);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            boolean tokenAlreadyUsed = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            if (tokenAlreadyUsed) {
                revokeFamily(family);
                return new Rotation(Outcome.REUSED, key, null);
            }
            return new Rotation(Outcome.INVALID, null, null);
        }
    }

    private void revokeFamily(String family) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(familyKey(family))
                .updateExpression("SET #state = :revoked")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":revoked", Items.s("REVOKED")))
                .build());
    }

    private Map<String, AttributeValue> familyItem(String family, long expires) {
        Map<String, AttributeValue> item = new HashMap<>(familyKey(family));
        item.put("state", Items.s("ACTIVE"));
        item.put(IntegrationTable.EXPIRES_AT, Items.n(expires));
        return item;
    }

    private Map<String, AttributeValue> tokenItem(String token, String family, ApiKey key, long expires) {
        Map<String, AttributeValue> item = new HashMap<>(tokenKey(token));
        item.put("family", Items.s(family));
        item.put("key_id", Items.s(key.keyId()));
        item.put("tenant_id", Items.s(key.tenantId()));
        item.put("state", Items.s("ACTIVE"));
        item.put(IntegrationTable.EXPIRES_AT, Items.n(expires));
        return item;
    }

    private static Map<String, AttributeValue> tokenKey(String token) {
        return Items.key("REFRESH#" + sha256(token), "REFRESH");
    }

    private static Map<String, AttributeValue> familyKey(String family) {
        return Items.key("FAMILY#" + family, "FAMILY");
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
