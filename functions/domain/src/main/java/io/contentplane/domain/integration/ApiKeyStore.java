package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.security.PasswordHash;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** API keys, their secrets stored only as slow salted hashes. */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class ApiKeyStore {
    private static final String SK = "APIKEY";
    private final DynamoDbClient dynamo;
    private final IntegrationTable table;

    public ApiKeyStore(DynamoDbClient dynamo, IntegrationTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Creates or replaces a key (the local runner seeds one; in AWS an operator provisions them). */
    public void put(String keyId, String secret, String tenantId) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key("APIKEY#" + keyId, SK));
        item.put("secret_hash", Items.s(PasswordHash.hash(secret)));
        item.put("tenant_id", Items.s(tenantId));
        item.put("created_at", Items.s(Instant.now().toString()));
        dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
    }

    /** The key if both halves are right; the same answer and the same time whichever half is wrong. */
    public Optional<ApiKey> verify(String keyId, String secret) {
        if (keyId == null || secret == null || keyId.isEmpty() || keyId.length() > 128 || secret.length() > 1024) {
            PasswordHash.verifyAgainstNothing(secret == null ? "" : secret);
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(Items.key("APIKEY#" + keyId, SK)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            PasswordHash.verifyAgainstNothing(secret);
            return Optional.empty();
        }
        if (!PasswordHash.verify(secret, Items.string(item, "secret_hash"))) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(keyId, Items.string(item, "tenant_id")));
    }
}
