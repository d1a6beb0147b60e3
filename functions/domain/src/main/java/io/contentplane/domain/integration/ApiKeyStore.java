package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.Conditions;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.security.PasswordHash;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Optional;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * API keys, their secrets stored only as slow salted hashes. A key's version is its creation time
 * ({@code created_at}): access and refresh tokens carry it, and every use of either checks that the
 * key still exists at that version and is not revoked ({@link #isActive}), so revoking or deleting a
 * key ends its logins at once.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class ApiKeyStore {
    private static final String SK = "APIKEY";
    private static final String CREATED_AT = "created_at";
    private static final String REVOKED_AT = "revoked_at";

    /** An API key item: {@code APIKEY#<key id>} / {@code APIKEY}. */
    record StoredKey(String keyId, String tenantId, String secretHash, Instant createdAt, @Nullable Instant revokedAt) {
    }

    /** What {@link #revoke} did. */
    public enum Revocation { REVOKED, ALREADY_REVOKED, NOT_FOUND }

    static final TableSchema<StoredKey> SCHEMA = StaticImmutableTableSchema.builder(StoredKey.class, KeyBuilder.class)
            .newItemBuilder(KeyBuilder::new, KeyBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(k -> partition(k.keyId()))
                    .setter((b, v) -> b.keyId = v.substring("APIKEY#".length())).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(k -> SK).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("secret_hash").getter(StoredKey::secretHash).setter((b, v) -> b.secretHash = v))
            .addAttribute(String.class, a -> a.name("tenant_id").getter(StoredKey::tenantId).setter((b, v) -> b.tenantId = v))
            .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(StoredKey::createdAt).setter((b, v) -> b.createdAt = v))
            .addAttribute(Instant.class, a -> a.name(REVOKED_AT).getter(StoredKey::revokedAt).setter((b, v) -> b.revokedAt = v))
            .build();
    private static final Expression NOT_REVOKED = Conditions.of("attribute_exists(pk) AND attribute_not_exists(" + REVOKED_AT + ")");

    private final DynamoDbTable<StoredKey> keys;

    public ApiKeyStore(DynamoDbEnhancedClient dynamo, IntegrationTable table) {
        this.keys = dynamo.table(table.name(), SCHEMA);
    }

    /** Creates or replaces a key (the local runner seeds one; in AWS an operator provisions them). */
    public void put(String keyId, String secret, String tenantId) {
        keys.putItem(new StoredKey(keyId, tenantId, PasswordHash.hash(secret), Instant.now(), null));
    }

    /**
     * Creates the key unless it exists, active, with this secret and tenant (the local runner seeds its
     * key on every start; keeping it keeps the logins made before a restart).
     */
    public void ensure(String keyId, String secret, String tenantId) {
        StoredKey stored = read(keyId);
        if (stored == null || stored.revokedAt() != null || !tenantId.equals(stored.tenantId())
                || !PasswordHash.verify(secret, stored.secretHash())) {
            put(keyId, secret, tenantId);
        }
    }

    /**
     * Disables a key for good: it no longer authenticates, and its access and refresh tokens are
     * refused from the next request on. One conditional update (the key exists, not revoked yet).
     */
    public Revocation revoke(String keyId) {
        try {
            keys.updateItem(UpdateItemEnhancedRequest.builder(StoredKey.class)
                    .item(new StoredKey(keyId, null, null, null, Instant.now())).ignoreNulls(true)
                    .conditionExpression(NOT_REVOKED).build());
            return Revocation.REVOKED;
        } catch (ConditionalCheckFailedException e) {
            return read(keyId) == null ? Revocation.NOT_FOUND : Revocation.ALREADY_REVOKED;
        }
    }

    /**
     * Whether tokens of this key at this version still work: the key exists, was not created again
     * since (same version) and is not revoked. One consistent GetItem (see docs/contract.md for why
     * a read on use rather than a version claim alone).
     */
    public boolean isActive(String keyId, @Nullable String version) {
        if (keyId == null || keyId.isEmpty() || keyId.length() > 128 || version == null) {
            return false;
        }
        StoredKey stored = read(keyId);
        return stored != null && stored.revokedAt() == null && version.equals(version(stored));
    }

    /** The key items, for a condition check in another store's transaction. */
    DynamoDbTable<StoredKey> table() {
        return keys;
    }

    /** The condition of {@link #isActive}, checked inside a transaction (the refresh token's rotation). */
    ConditionCheck<StoredKey> activeCheck(String keyId, String version) {
        return ConditionCheck.builder().key(Key.builder().partitionValue(partition(keyId)).sortValue(SK).build())
                .conditionExpression(Expression.builder()
                        .expression(NOT_REVOKED.expression() + " AND #created_at = :version")
                        .putExpressionName("#created_at", CREATED_AT)
                        .putExpressionValue(":version", Conditions.s(version)).build())
                .build();
    }

    @Nullable
    private StoredKey read(String keyId) {
        return keys.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(partition(keyId)).sortValue(SK).build()).consistentRead(true).build());
    }

    private static String version(StoredKey stored) {
        return stored.createdAt() == null ? "" : stored.createdAt().toString();
    }

    /** The key if both halves are right; the same answer and the same time whichever half is wrong. */
    public Optional<ApiKey> verify(String keyId, String secret) {
        if (keyId == null || secret == null || keyId.isEmpty() || keyId.length() > 128 || secret.length() > 1024) {
            PasswordHash.verifyAgainstNothing(secret == null ? "" : secret);
            return Optional.empty();
        }
        StoredKey stored = read(keyId);
        if (stored == null) {
            PasswordHash.verifyAgainstNothing(secret);
            return Optional.empty();
        }
        if (!PasswordHash.verify(secret, stored.secretHash()) || stored.revokedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(keyId, stored.tenantId(), version(stored)));
    }

    private static String partition(String keyId) {
        return "APIKEY#" + keyId;
    }

    private static final class KeyBuilder {
        private String keyId;
        private String tenantId;
        private String secretHash;
        private Instant createdAt;
        private Instant revokedAt;

        StoredKey build() {
            return new StoredKey(keyId, tenantId, secretHash, createdAt, revokedAt);
        }
    }
}
