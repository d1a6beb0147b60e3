package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.micronaut.context.DefaultApplicationContextBuilder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

/** The integration stores on DynamoDB Local, in an application context with a table of their own. */
@MicronautTest(startApplication = false, transactional = false, contextBuilder = IntegrationStoresTest.CountingRequests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrationStoresTest implements TestPropertyProvider {
    @Inject
    DynamoDbClient dynamo;
    @Inject
    IntegrationTable table;
    @Inject
    NodeRegistry nodes;
    @Inject
    DistributorStore distributors;
    @Inject
    RefreshTokenStore refreshTokens;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    ApiKeyStore apiKeys;

    @Inject
    DeliveryStore deliveries;
    @Inject
    DynamoDbRequestCounter requests;

    /** Registers the request counter before any bean is created (the DynamoDB client is built with it). */
    public static class CountingRequests extends DefaultApplicationContextBuilder {
        public CountingRequests() {
            singletons(new DynamoDbRequestCounter());
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        TestDatabases.h2().forEach((k, v) -> props.put(k, String.valueOf(v)));
        TestDynamo.properties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("integration.rate-limit-per-minute", "5");
        return props;
    }

    @BeforeAll
    void createTable() {
        table.create(dynamo);
    }

    /** An item as stored, read past the stores. */
    private Map<String, AttributeValue> raw(String pk, String sk) {
        return dynamo.getItem(GetItemRequest.builder().tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))).consistentRead(true).build()).item();
    }

    @Test
    void apiKeysVerifyOnlyWithTheirSecret() {
        apiKeys.put("key-1", "secret-1", "tenant-a");
        ApiKey verified = apiKeys.verify("key-1", "secret-1").orElseThrow();
        assertEquals(new ApiKey("key-1", "tenant-a", raw("APIKEY#key-1", "APIKEY").get("created_at").s()), verified);
        assertTrue(apiKeys.isActive("key-1", verified.version()));
        assertFalse(apiKeys.isActive("key-1", "2020-01-01T00:00:00Z"));
        assertTrue(apiKeys.verify("key-1", "wrong").isEmpty());
        assertTrue(apiKeys.verify("nope", "secret-1").isEmpty());
        String stored = raw("APIKEY#key-1", "APIKEY").get("secret_hash").s();
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
        Map<String, AttributeValue> stored = raw("DISTRIBUTOR#" + d.id(), "DISTRIBUTOR");
        assertFalse(stored.toString().contains("pass-word-123"));
        assertFalse(stored.toString().contains(d.signingSecret()));
        assertEquals("https://example.com", stored.get("meta_host").s());
        assertEquals("1", stored.get("auth_type").n());
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
        apiKeys.put("k", "secret-k", "t");
        ApiKey key = apiKeys.verify("k", "secret-k").orElseThrow();
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

    @Test
    void listsCountTheirTotalAndReadOnlyTheKeysBeforeTheirPage() {
        Node apex = nodes.create("t4", null, "apex", Node.APEX);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            accounts.add(nodes.create("t4", apex.id(), "a" + i, Node.ACCOUNT).id());
        }
        nodes.delete("t4", accounts.remove(6));
        assertThrows(NotFoundException.class, () -> nodes.delete("t4", accounts.get(0) + "x"));

        requests.reset();
        NodeRegistry.Page third = nodes.children("t4", apex.id(), 3, 2);
        assertEquals(6, third.total());
        assertEquals(accounts.subList(4, 6), third.nodes().stream().map(Node::id).toList());
        // the parent and the count (GetItem), the 4 keys before the page, then the page's 2 items
        assertEquals(List.of("GetItem", "GetItem", "Query", "Query"), requests.operations());
        assertEquals(List.of(new DynamoDbRequestCounter.QueryRead(true, 4), new DynamoDbRequestCounter.QueryRead(false, 2)),
                requests.queries());

        // a page past the end reads no list at all: the count says it is empty
        requests.reset();
        assertEquals(List.of(), nodes.children("t4", apex.id(), 4, 2).nodes());
        assertEquals(List.of("GetItem", "GetItem"), requests.operations());

        // pages deeper than Pages.MAX_OFFSET items are refused before anything is read
        int deepest = Pages.MAX_OFFSET / 10 + 1;
        requests.reset();
        PageOutOfReachException tooDeep = assertThrows(PageOutOfReachException.class,
                () -> nodes.children("t4", apex.id(), deepest + 1, 10));
        assertEquals(deepest, tooDeep.maxPage());
        assertEquals(List.of("GetItem"), requests.operations()); // the parent's existence only
        assertEquals(List.of(), nodes.children("t4", apex.id(), deepest, 10).nodes());

        // a node's distributors: counted in their create and delete transactions
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(distributors.create("t4", apex.id(), null).id());
        }
        distributors.delete("t4", ids.remove(0));
        assertThrows(NotFoundException.class, () -> distributors.delete("t4", apex.id()));
        DistributorStore.Page second = distributors.listForNode("t4", apex.id(), 2, 3);
        assertEquals(4, second.total());
        assertEquals(ids.subList(3, 4), second.distributors().stream().map(Distributor::id).toList());
        assertEquals(ids, distributors.listForNode("t4", apex.id(), 1, 100).distributors().stream().map(Distributor::id).toList());
        // deleting a node leaves its parent one child fewer
        nodes.delete("t4", accounts.get(0));
        assertEquals(5, nodes.children("t4", apex.id(), 1, 100).total());
    }

    @Test
    void deliveriesAreQueuedOnceCountedAndFoundByTheirEvent() {
        String distributor = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            deliveries.enqueue(distributor, "evt_" + i, "node.booted", "n", "{}", t0.plusSeconds(i), t0);
        }
        deliveries.enqueue(distributor, "evt_1", "node.booted", "n", "{\"again\":true}", t0.plusSeconds(1), t0);
        DeliveryStore.Page first = deliveries.list(distributor, 1, 2);
        assertEquals(3, first.total());
        assertEquals(List.of("evt_0", "evt_1"), first.deliveries().stream().map(Delivery::eventId).toList());
        assertEquals("{}", first.deliveries().get(1).payload());
        assertEquals(List.of("evt_2"), deliveries.list(distributor, 2, 2).deliveries().stream().map(Delivery::eventId).toList());
        Delivery head = deliveries.find(distributor, "evt_0").orElseThrow();
        assertEquals(first.deliveries().get(0), head);
        assertTrue(deliveries.find(distributor, "evt_9").isEmpty());

        // an attempt's outcome is recorded once: the same attempt cannot be recorded twice
        Delivery delivered = deliveries.recordAttempt(head, Delivery.State.DELIVERED, 204, null, null, t0.plusSeconds(2));
        assertEquals(delivered, deliveries.find(distributor, "evt_0").orElseThrow());
        assertThrows(ConditionalCheckFailedException.class,
                () -> deliveries.recordAttempt(head, Delivery.State.FAILED, 500, "x", null, t0.plusSeconds(3)));
        // a redelivery is pending again and waits, with its attempt count, for the relay to queue its message
        Delivery again = deliveries.redeliver(delivered, t0.plusSeconds(4));
        assertEquals(Delivery.State.PENDING, again.state());
        assertEquals(again, deliveries.find(distributor, "evt_0").orElseThrow());
        DeliveryStore.Redelivery waiting = deliveries.redeliveries(1000).stream()
                .filter(r -> r.distributorId().equals(distributor)).findFirst().orElseThrow();
        assertEquals(new DeliveryStore.Redelivery(distributor, "evt_0", 1, t0.plusSeconds(4)), waiting);
        // over a delivery whose attempt was recorded meanwhile, it writes nothing
        assertThrows(ConditionalCheckFailedException.class, () -> deliveries.redeliver(head, t0.plusSeconds(5)));
        deliveries.redeliveryQueued(waiting);
        assertTrue(deliveries.redeliveries(1000).stream().noneMatch(r -> r.distributorId().equals(distributor)));
    }
}
