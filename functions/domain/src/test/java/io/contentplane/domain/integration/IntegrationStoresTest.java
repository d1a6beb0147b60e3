package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integration stores on DynamoDB Local. */
class IntegrationStoresTest {
    static ApplicationContext context;
    static NodeRegistry nodes;
    static DistributorStore distributors;
    static RefreshTokenStore refreshTokens;
    static RateLimiter rateLimiter;
    static ApiKeyStore apiKeys;

    @BeforeAll
    static void start() {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.put("integration.rate-limit-per-minute", 5);
        context = ApplicationContext.run(props);
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        nodes = context.getBean(NodeRegistry.class);
        distributors = context.getBean(DistributorStore.class);
        refreshTokens = context.getBean(RefreshTokenStore.class);
        rateLimiter = context.getBean(RateLimiter.class);
        apiKeys = context.getBean(ApiKeyStore.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void apiKeysVerifyOnlyWithTheirSecret() {
        apiKeys.put("key-1", "secret-1", "tenant-a");
        assertEquals(new ApiKey("key-1", "tenant-a"), apiKeys.verify("key-1", "secret-1").orElseThrow());
        assertTrue(apiKeys.verify("key-1", "wrong").isEmpty());
        assertTrue(apiKeys.verify("nope", "secret-1").isEmpty());
        String stored = context.getBean(DynamoDbClient.class).getItem(GetItemRequest.builder()
                .tableName(context.getBean(IntegrationTable.class).name())
                .key(io.contentplane.domain.dynamo.Items.key("APIKEY#key-1", "APIKEY")).build()).item().get("secret_hash").s();
        assertFalse(stored.contains("secret-1"));
        assertTrue(stored.startsWith("pbkdf2-sha256$"));
    }

    @Test
    void hierarchyPathsAndIntIds() {
        Node apex = nodes.create("t1", null, "apex", Node.APEX);
        Node account = nodes.create("t1", apex.id(), "account", Node.ACCOUNT);
        Node sub = nodes.create("t1", account.id(), "sub", Node.SUB_ACCOUNT);
        assertEquals(apex.intId() + "." + account.intId() + "." + sub.intId(), sub.path());
        assertTrue(account.intId() > apex.intId());
        assertThrows(InvalidRequestException.class, () -> nodes.create("t1", apex.id(), "bad", Node.SUB_ACCOUNT));
        assertThrows(InvalidRequestException.class, () -> nodes.create("t1", null, "bad", Node.ACCOUNT));
        assertThrows(InvalidRequestException.class, () -> nodes.create("t1", sub.id(), "bad", Node.APEX));
        // another tenant cannot hang a node under t1's apex, nor see it
        assertThrows(InvalidRequestException.class, () -> nodes.create("t2", apex.id(), "x", Node.ACCOUNT));
        assertTrue(nodes.find("t2", apex.id()).isEmpty());
    }

    @Test
    void softDeleteKeepsChildrenAndDistributors() {
        Node apex = nodes.create("t1", null, "apex", Node.APEX);
        Node account = nodes.create("t1", apex.id(), "account", Node.ACCOUNT);
        Distributor d = distributors.create("t1", account.id(), null);
        nodes.delete("t1", apex.id());
        assertTrue(nodes.find("t1", apex.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> nodes.delete("t1", apex.id()));
        assertEquals(account, nodes.get("t1", account.id()));
        assertEquals(d.id(), distributors.get("t1", d.id()).id());
        // a deleted node gains no new distributor (checked inside the create transaction)
        assertThrows(NotFoundException.class, () -> distributors.create("t1", apex.id(), null));
        assertThrows(NotFoundException.class, () -> distributors.create("t2", account.id(), null));
    }

    @Test
    void childrenArePaginated() {
        Node apex = nodes.create("t3", null, "apex", Node.APEX);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(nodes.create("t3", apex.id(), "a" + i, Node.ACCOUNT).id());
        }
        nodes.delete("t3", created.get(4));
        NodeRegistry.Page first = nodes.children("t3", apex.id(), 1, 2);
        NodeRegistry.Page third = nodes.children("t3", apex.id(), 3, 2);
        assertEquals(4, first.total());
        assertEquals(created.subList(0, 2), first.nodes().stream().map(Node::id).toList());
        assertEquals(List.of(), third.nodes());
        assertEquals(created.subList(2, 4), nodes.children("t3", apex.id(), 2, 2).nodes().stream().map(Node::id).toList());
    }

    @Test
    void credentialsAreEncryptedAtRestAndConcurrentUpdatesAllLand() throws Exception {
        Node apex = nodes.create("t1", null, "apex", Node.APEX);
        WebhookMeta meta = new WebhookMeta("https://example.com", "/webhook", 1,
                new WebhookMeta.Authentication(1, "user", "pass-word-123", null));
        Distributor d = distributors.create("t1", apex.id(), meta);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> raw = context.getBean(DynamoDbClient.class)
                .getItem(GetItemRequest.builder().tableName(context.getBean(IntegrationTable.class).name())
                        .key(io.contentplane.domain.dynamo.Items.key("DISTRIBUTOR#" + d.id(), "DISTRIBUTOR")).build()).item();
        assertFalse(raw.toString().contains("pass-word-123"));
        assertEquals(meta, distributors.get("t1", d.id()).meta());
        // ten writers each change the path or the method; every change must survive
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                go.await();
                return distributors.update("t1", d.id(), m -> {
                    seen.add("x");
                    return new WebhookMeta(m.host(), m.path() + "/" + n, m.method(), m.authentication());
                });
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        Distributor after = distributors.get("t1", d.id());
        for (int i = 0; i < 10; i++) {
            assertTrue(after.meta().path().contains("/" + i), after.meta().path());
        }
        assertEquals(11, after.version());
        assertFalse(seen.isEmpty());
        assertThrows(NotFoundException.class, () -> distributors.get("t2", d.id()));
        distributors.delete("t1", d.id());
        assertThrows(NotFoundException.class, () -> distributors.get("t1", d.id()));
    }

    @Test
    void refreshTokensAreSingleUseAndReuseRevokesTheFamily() {
        ApiKey key = new ApiKey("k", "t");
        String first = refreshTokens.issue(key);
        RefreshTokenStore.Rotation second = refreshTokens.rotate(first);
        assertEquals(RefreshTokenStore.Outcome.ROTATED, second.outcome());
        assertEquals(key, second.key());
        assertEquals(RefreshTokenStore.Outcome.REUSED, refreshTokens.rotate(first).outcome());
        // the family is revoked: the successor no longer works either
        assertEquals(RefreshTokenStore.Outcome.INVALID, refreshTokens.rotate(second.token()).outcome());
        assertEquals(RefreshTokenStore.Outcome.INVALID, refreshTokens.rotate("garbage").outcome());
        assertNull(refreshTokens.rotate("garbage").token());
    }

    @Test
    void rateLimitCountsPerKeyPerMinute() {
        for (int i = 0; i < 5; i++) {
            assertTrue(rateLimiter.acquire("limited").isEmpty(), "request " + i);
        }
        long retryAfter = rateLimiter.acquire("limited").orElseThrow();
        assertTrue(retryAfter >= 1 && retryAfter <= 60, Long.toString(retryAfter));
        assertTrue(rateLimiter.acquire("other-key").isEmpty());
    }
}
