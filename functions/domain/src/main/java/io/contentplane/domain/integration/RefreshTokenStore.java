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
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Refresh tokens: opaque, 7 days, single use, stored only as SHA-256 hashes. Each belongs to a
 * family (one login); using a token marks it USED and issues its successor in one transaction. A
 * token presented again after use is a theft signal: its whole family is revoked. A family ends
 * for good {@code integration.refresh-family-lifetime} (30 days) after its login, however often it
 * was used, and the rotation's transaction checks that the token's API key still exists at the
 * version it was issued for and is not revoked.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbEnhancedClient.class)
@Singleton
public class RefreshTokenStore {
    public static final long LIFETIME_SECONDS = 7 * 24 * 3600;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ACTIVE = "ACTIVE";
    private static final Expression STILL_ACTIVE = Expression.builder().expression("#state = :active")
            .putExpressionName("#state", "state").putExpressionValue(":active", Conditions.s(ACTIVE)).build();

    /**
     * A login: {@code FAMILY#<id>} / {@code FAMILY}, ACTIVE until revoked, expiring (TTL) with its
     * newest token, ending for good at {@code endsAt}.
     */
    record Family(String id, String state, @Nullable Long expiresAt, @Nullable Long endsAt) {
    }

    /**
     * A refresh token: {@code REFRESH#<sha-256 of the token>} / {@code REFRESH}, with its key's
     * version and its family's end (null only in tokens issued before either existed: refused).
     */
    record StoredToken(String hash, String family, String keyId, String tenantId, String state, long expiresAt,
                       @Nullable String keyVersion, @Nullable Long familyEndsAt) {
        StoredToken used() {
            return new StoredToken(hash, family, keyId, tenantId, "USED", expiresAt, keyVersion, familyEndsAt);
        }
    }

    static final TableSchema<Family> FAMILY = StaticImmutableTableSchema.builder(Family.class, FamilyBuilder.class)
            .newItemBuilder(FamilyBuilder::new, FamilyBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(f -> "FAMILY#" + f.id())
                    .setter((b, v) -> b.id = v.substring("FAMILY#".length())).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(f -> "FAMILY").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("state").getter(Family::state).setter((b, v) -> b.state = v))
            .addAttribute(Long.class, a -> a.name(IntegrationTable.EXPIRES_AT).getter(Family::expiresAt)
                    .setter((b, v) -> b.expiresAt = v))
            .addAttribute(Long.class, a -> a.name("ends_at").getter(Family::endsAt).setter((b, v) -> b.endsAt = v))
            .build();

    static final TableSchema<StoredToken> TOKEN = StaticImmutableTableSchema.builder(StoredToken.class, TokenBuilder.class)
            .newItemBuilder(TokenBuilder::new, TokenBuilder::build)
            .addAttribute(String.class, a -> a.name(IntegrationTable.PK).getter(t -> "REFRESH#" + t.hash())
                    .setter((b, v) -> b.hash = v.substring("REFRESH#".length())).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(IntegrationTable.SK).getter(t -> "REFRESH").setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("family").getter(StoredToken::family).setter((b, v) -> b.family = v))
            .addAttribute(String.class, a -> a.name("key_id").getter(StoredToken::keyId).setter((b, v) -> b.keyId = v))
            .addAttribute(String.class, a -> a.name("tenant_id").getter(StoredToken::tenantId).setter((b, v) -> b.tenantId = v))
            .addAttribute(String.class, a -> a.name("state").getter(StoredToken::state).setter((b, v) -> b.state = v))
            .addAttribute(Long.class, a -> a.name(IntegrationTable.EXPIRES_AT).getter(StoredToken::expiresAt)
                    .setter((b, v) -> b.expiresAt = v))
            .addAttribute(String.class, a -> a.name("key_version").getter(StoredToken::keyVersion)
                    .setter((b, v) -> b.keyVersion = v))
            .addAttribute(Long.class, a -> a.name("family_ends_at").getter(StoredToken::familyEndsAt)
                    .setter((b, v) -> b.familyEndsAt = v))
            .build();

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<Family> families;
    private final DynamoDbTable<StoredToken> tokens;
    private final ApiKeyStore apiKeys;
    private final long familyLifetimeSeconds;

    public RefreshTokenStore(DynamoDbEnhancedClient dynamo, IntegrationTable table, ApiKeyStore apiKeys,
                             @Value("${integration.refresh-family-lifetime:30d}") Duration familyLifetime) {
        this.dynamo = dynamo;
        this.families = dynamo.table(table.name(), FAMILY);
        this.tokens = dynamo.table(table.name(), TOKEN);
        this.apiKeys = apiKeys;
        this.familyLifetimeSeconds = familyLifetime.toSeconds();
        if (familyLifetimeSeconds <= 0) {
            throw new IllegalArgumentException("integration.refresh-family-lifetime must be positive");
        }
    }

    public enum Outcome { ROTATED, INVALID, REUSED }

    public record Rotation(Outcome outcome, ApiKey key, String token) {
    }

    /** Starts a family (a login) of a verified key (with its version) and returns its first refresh token. */
    public String issue(ApiKey key) {
        if (key.version() == null) {
            throw new IllegalArgumentException("A refresh token needs the key's version");
        }
        String family = UUID.randomUUID().toString();
        long now = Instant.now().getEpochSecond();
        long ends = now + familyLifetimeSeconds;
        long expires = Math.min(now + LIFETIME_SECONDS, ends);
        String token = newToken();
        dynamo.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(families, create(new Family(family, ACTIVE, expires, ends), Family.class))
                .addPutItem(tokens, create(new StoredToken(sha256(token), family, key.keyId(), key.tenantId(), ACTIVE, expires,
                        key.version(), ends), StoredToken.class))
                .build());
        return token;
    }

    /** Exchanges a refresh token for its successor. */
    public Rotation rotate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return new Rotation(Outcome.INVALID, null, null);
        }
        StoredToken stored = tokens.getItem(GetItemEnhancedRequest.builder().key(tokenKey(token)).consistentRead(true).build());
        long now = Instant.now().getEpochSecond();
        if (stored == null || stored.expiresAt() <= now || stored.keyVersion() == null
                || stored.familyEndsAt() == null || stored.familyEndsAt() <= now) {
            return new Rotation(Outcome.INVALID, null, null);
        }
        ApiKey key = new ApiKey(stored.keyId(), stored.tenantId(), stored.keyVersion());
        String next = newToken();
        long ends = stored.familyEndsAt();
        long expires = Math.min(now + LIFETIME_SECONDS, ends);
        try {
            dynamo.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(tokens, TransactPutItemEnhancedRequest.builder(StoredToken.class).item(stored.used())
                            .conditionExpression(STILL_ACTIVE).build())
                    .addPutItem(families, TransactPutItemEnhancedRequest.builder(Family.class)
                            .item(new Family(stored.family(), ACTIVE, expires, ends)).conditionExpression(STILL_ACTIVE).build())
                    .addPutItem(tokens, create(new StoredToken(sha256(next), stored.family(), key.keyId(), key.tenantId(),
                            ACTIVE, expires, key.version(), ends), StoredToken.class))
                    .addConditionCheck(apiKeys.table(), apiKeys.activeCheck(key.keyId(), key.version()))
                    .build());
            return new Rotation(Outcome.ROTATED, key, next);
        } catch (TransactionCanceledException e) {
            // the first item is this token: its condition failing means it was used already
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                revokeFamily(stored.family());
                return new Rotation(Outcome.REUSED, key, null);
            }
            // the family revoked, or the key (the last item) revoked, deleted or created again
            return new Rotation(Outcome.INVALID, null, null);
        }
    }

    /** Marks the family REVOKED (its expiry stays): none of its tokens rotates again. */
    private void revokeFamily(String family) {
        families.updateItem(UpdateItemEnhancedRequest.builder(Family.class)
                .item(new Family(family, "REVOKED", null, null)).ignoreNulls(true).build());
    }

    private static <T> TransactPutItemEnhancedRequest<T> create(T item, Class<T> type) {
        return TransactPutItemEnhancedRequest.builder(type).item(item).conditionExpression(Conditions.ABSENT).build();
    }

    private static Key tokenKey(String token) {
        return Key.builder().partitionValue("REFRESH#" + sha256(token)).sortValue("REFRESH").build();
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

    private static final class FamilyBuilder {
        private String id;
        private String state;
        private Long expiresAt;
        private Long endsAt;

        Family build() {
            return new Family(id, state, expiresAt, endsAt);
        }
    }

    private static final class TokenBuilder {
        private String hash;
        private String family;
        private String keyId;
        private String tenantId;
        private String state;
        private Long expiresAt;
        private String keyVersion;
        private Long familyEndsAt;

        StoredToken build() {
            return new StoredToken(hash, family, keyId, tenantId, state, expiresAt == null ? 0 : expiresAt, keyVersion,
                    familyEndsAt);
        }
    }
}
