package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.ApiKeyStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revoking or deleting an API key ends its logins at once: its access tokens (checked against the
 * key on every use), its refresh tokens (the rotation's transaction checks the key) and new logins
 * are refused in the Apex error shape, and a key created again under the same id does not revive them.
 */
class IntegrationRevocationTest extends IntegrationTestSupport {
    private static final String AUTH = "/api/v1/integration/auth/";

    private ApiKeyStore keys() {
        return context.getBean(ApiKeyStore.class);
    }

    /** A fresh key of tenant-r (each test its own, so they do not interfere). */
    private String newKey() {
        String key = "rev-" + UUID.randomUUID();
        keys().put(key, "secret-r", "tenant-r");
        return key;
    }

    private APIGatewayProxyResponseEvent refresh(String refreshToken) {
        return call("POST", AUTH + "refresh", Map.of("X-Target-Server", "authentication"),
                "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    private APIGatewayProxyResponseEvent authenticate(String key) {
        return call("POST", AUTH + "authenticate", Map.of("X-Target-Server", "authentication"),
                "{\"api_key\":\"" + key + "\",\"secret_key\":\"secret-r\"}");
    }

    /** A request that needs a valid token: the tenant's new node, 201. */
    private APIGatewayProxyResponseEvent use(String accessToken) {
        return call("POST", "/api/v1/integration/nodes", api(accessToken), "{\"name\":\"n\",\"type\":1}");
    }

    @Test
    void aRevokedKeysAccessAndRefreshTokensAreRefusedAtOnce() {
        String key = newKey();
        Map<String, Object> login = login(key, "secret-r");
        String access = (String) login.get("access_token");
        assertEquals(201, use(access).getStatusCode());

        assertEquals(ApiKeyStore.Revocation.REVOKED, keys().revoke(key));

        Map<String, Object> refused = error(use(access), 401, "UNAUTHORIZED");
        assertTrue(((String) refused.get("message")).contains("revoked"), refused.toString());
        error(refresh((String) login.get("refresh_token")), 401, "INVALID_REFRESH_TOKEN");
        error(authenticate(key), 401, "INVALID_CREDENTIALS");
        assertEquals(ApiKeyStore.Revocation.ALREADY_REVOKED, keys().revoke(key));
        assertEquals(ApiKeyStore.Revocation.NOT_FOUND, keys().revoke("no-such-key"));
        // another key of the same tenant is untouched
        String other = newKey();
        assertEquals(201, use((String) login(other, "secret-r").get("access_token")).getStatusCode());
    }

    @Test
    void aDeletedKeysTokensAreRefusedAndCreatingItAgainDoesNotReviveThem() {
        String key = newKey();
        Map<String, Object> login = login(key, "secret-r");
        String access = (String) login.get("access_token");
        String refreshToken = (String) login.get("refresh_token");
        // a rotated pair of the same login, to show that refresh works up to the deletion
        APIGatewayProxyResponseEvent rotated = refresh(refreshToken);
        assertEquals(200, rotated.getStatusCode(), rotated.getBody());
        refreshToken = (String) body(rotated).get("refresh_token");

        context.getBean(DynamoDbClient.class).deleteItem(DeleteItemRequest.builder()
                .tableName(context.getBean(IntegrationTable.class).name())
                .key(Map.of("pk", AttributeValue.fromS("APIKEY#" + key), "sk", AttributeValue.fromS("APIKEY"))).build());
        error(use(access), 401, "UNAUTHORIZED");

        keys().put(key, "secret-r", "tenant-r"); // the same id and secret, a new version
        error(use(access), 401, "UNAUTHORIZED");
        error(refresh(refreshToken), 401, "INVALID_REFRESH_TOKEN");
        Map<String, Object> fresh = login(key, "secret-r");
        assertEquals(201, use((String) fresh.get("access_token")).getStatusCode());
        assertEquals(200, refresh((String) fresh.get("refresh_token")).getStatusCode());
    }

    @Test
    void concurrentRevocationsRevokeOnce() throws Exception {
        String key = newKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiKeyStore.Revocation>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return keys().revoke(key);
            }));
        }
        start.countDown();
        int revoked = 0;
        for (Future<ApiKeyStore.Revocation> r : results) {
            ApiKeyStore.Revocation outcome = r.get(30, TimeUnit.SECONDS);
            revoked += outcome == ApiKeyStore.Revocation.REVOKED ? 1 : 0;
            assertTrue(outcome != ApiKeyStore.Revocation.NOT_FOUND);
        }
        pool.shutdown();
        assertEquals(1, revoked);
    }

    /**
     * Logins refreshing and using their tokens in a loop while the key is revoked: no request that
     * starts after the revocation has returned succeeds, and the ones before it did.
     */
    @Test
    void noRequestStartedAfterTheRevocationSucceeds() throws Exception {
        String key = newKey();
        record Attempt(long startedAt, int status) {
        }
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> login = login(key, "secret-r");
            boolean refreshing = i % 2 == 0;
            workers.add(pool.submit(() -> {
                String access = (String) login.get("access_token");
                String refreshToken = (String) login.get("refresh_token");
                while (!stop.get()) {
                    long started = System.nanoTime();
                    APIGatewayProxyResponseEvent r = refreshing ? refresh(refreshToken) : use(access);
                    attempts.add(new Attempt(started, r.getStatusCode()));
                    if (refreshing && r.getStatusCode() == 200) {
                        refreshToken = (String) body(r).get("refresh_token");
                    }
                }
                return null;
            }));
        }
        Thread.sleep(500);
        assertEquals(ApiKeyStore.Revocation.REVOKED, keys().revoke(key));
        long revokedAt = System.nanoTime();
        Thread.sleep(500);
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long before = attempts.stream().filter(a -> a.startedAt() < revokedAt && (a.status() == 200 || a.status() == 201)).count();
        List<Attempt> after = attempts.stream().filter(a -> a.startedAt() > revokedAt).toList();
        assertTrue(before > 0, "some requests succeeded before the revocation");
        assertTrue(!after.isEmpty(), "some requests started after it");
        assertTrue(after.stream().allMatch(a -> a.status() == 401), after.toString());
    }
}
