package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.security.PasswordHash;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;

import java.time.Instant;
import java.util.Optional;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/** API keys, their secrets stored only as slow salted hashes. */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class ApiKeyStore {
    private static final String SK = "APIKEY";

    /** An API key item: {@code APIKEY#<key id>} / {@code APIKEY}. */
    record StoredKey(String keyId, String tenantId, String secretHash, Instant createdAt) {
    }

    static final TableSchema<StoredKey> SCHEMA = StaticImmutableTableSchema.builder(StoredKey.class, KeyBuilder.class)
            .newItemBuilder(KeyBuilder::new, KeyBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(k -> partition(k.keyId()))
                    .setter((b, v) -> b.keyId = v.substring("APIKEY#".length())).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(k -> SK).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("secret_hash").getter(StoredKey::secretHash).setter((b, v) -> b.secretHash = v))
            .addAttribute(String.class, a -> a.name("tenant_id").getter(StoredKey::tenantId).setter((b, v) -> b.tenantId = v))
            .addAttribute(Instant.class, a -> a.name("created_at").getter(StoredKey::createdAt).setter((b, v) -> b.createdAt = v))
            .build();

    private final DynamoDbTable<StoredKey> keys;

    public ApiKeyStore(DynamoDbEnhancedClient dynamo, IntegrationTable table) {
        this.keys = dynamo.table(table.name(), SCHEMA);
    }

    /** Creates or replaces a key (the local runner seeds one; in AWS an operator provisions them). */
    public void put(String keyId, String secret, String tenantId) {
        keys.putItem(new StoredKey(keyId, tenantId, PasswordHash.hash(secret), Instant.now()));
    }

    /** The key if both halves are right; the same answer and the same time whichever half is wrong. */
    public Optional<ApiKey> verify(String keyId, String secret) {
        if (keyId == null || secret == null || keyId.isEmpty() || keyId.length() > 128 || secret.length() > 1024) {
            PasswordHash.verifyAgainstNothing(secret == null ? "" : secret);
            return Optional.empty();
        }
        StoredKey stored = keys.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(partition(keyId)).sortValue(SK).build()).consistentRead(true).build());
        if (stored == null) {
            PasswordHash.verifyAgainstNothing(secret);
            return Optional.empty();
        }
        if (!PasswordHash.verify(secret, stored.secretHash())) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(keyId, stored.tenantId()));
    }

    private static String partition(String keyId) {
        return "APIKEY#" + keyId;
    }

    private static final class KeyBuilder {
        private String keyId;
        private String tenantId;
        private String secretHash;
        private Instant createdAt;

        StoredKey build() {
            return new StoredKey(keyId, tenantId, secretHash, createdAt);
        }
    }
}
