package io.contentplane.domain.node;

import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDatabases.Store;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parameter table, the same tests on both stores ({@link NodeControlServiceH2Test},
 * {@link NodeControlServicePostgresTest}): the same repository code on H2 and on a real PostgreSQL,
 * each in an application context of its own with a fresh database.
 */
abstract class NodeControlServiceContract implements TestPropertyProvider {
    @Inject
    NodeControlService nodes;
    @Inject
    DataSource dataSource;

    /** The store this class runs on. */
    abstract Store store();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>();
        TestDatabases.properties(store()).forEach((name, value) -> props.put(name, String.valueOf(value)));
        props.put("node.shutdown-grace", "1500ms"); // SHUTTING_DOWN must stay observable on a loaded machine
        return props;
    }

    @Test
    void registeredNodeStartsRunningWithNoWorkerAndAllBuckets() {
        String id = UUID.randomUUID().toString();
        assertTrue(nodes.find(id).isEmpty());
        nodes.register(id, "s3cret");
        NodeControlState state = nodes.find(id).orElseThrow();
        assertEquals(ApiState.STARTED, state.apiState());
        assertEquals(Lifecycle.RUNNING, state.lifecycle());
        assertNull(state.workerId());
        assertNull(state.buckets());
        assertTrue(state.publicApiAvailable());
        // registering again keeps the state
        nodes.stopApi(id);
        nodes.register(id, "s3cret");
        assertEquals(ApiState.STOPPED, nodes.find(id).orElseThrow().apiState());
    }

    @Test
    void transitionsAnswerWhyTheyDidNotHappen() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        assertEquals(TransitionResult.ALREADY, nodes.startApi(id));
        assertEquals(TransitionResult.DONE, nodes.stopApi(id));
        assertEquals(TransitionResult.ALREADY, nodes.stopApi(id));
        assertEquals(TransitionResult.DONE, nodes.startApi(id));
        assertEquals(TransitionResult.NOT_SHUT_DOWN, nodes.boot(id));
        assertEquals(TransitionResult.DONE, nodes.shutdown(id));
        assertEquals(Lifecycle.SHUTTING_DOWN, nodes.find(id).orElseThrow().lifecycle());
        assertEquals(TransitionResult.ALREADY, nodes.shutdown(id));
        assertEquals(TransitionResult.SHUTTING_DOWN, nodes.stopApi(id));
        assertEquals(TransitionResult.SHUTTING_DOWN, nodes.boot(id));
        Thread.sleep(1_600);
        assertEquals(Lifecycle.SHUT_DOWN, nodes.find(id).orElseThrow().lifecycle());
        assertEquals(TransitionResult.SHUT_DOWN, nodes.shutdown(id));
        assertEquals(TransitionResult.SHUT_DOWN, nodes.startApi(id));
        assertEquals(TransitionResult.DONE, nodes.boot(id));
        NodeControlState booted = nodes.find(id).orElseThrow();
        assertEquals(Lifecycle.RUNNING, booted.lifecycle());
        assertEquals(ApiState.STARTED, booted.apiState());
        String unknown = UUID.randomUUID().toString();
        assertEquals(TransitionResult.UNKNOWN_NODE, nodes.stopApi(unknown));
        assertEquals(TransitionResult.UNKNOWN_NODE, nodes.shutdown(unknown));
        assertEquals(TransitionResult.UNKNOWN_NODE, nodes.boot(unknown));
        assertFalse(nodes.setWorker(unknown, 1));
        assertFalse(nodes.setBuckets(unknown, null));
    }

    @Test
    void twentyRacingStopsYieldExactlyOneWinner() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        List<TransitionResult> results = race(20, i -> nodes.stopApi(id));
        assertEquals(1, results.stream().filter(r -> r == TransitionResult.DONE).count(), results.toString());
        assertEquals(19, results.stream().filter(r -> r == TransitionResult.ALREADY).count(), results.toString());
    }

    @Test
    void racingWorkerAndBucketUpdatesAreAllApplied() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        long workerVersion = version(id, NodeParameterName.WORKER_ID);
        long bucketsVersion = version(id, NodeParameterName.BUCKETS);
        List<Boolean> results = race(20, i -> i % 2 == 0
                ? nodes.setWorker(id, i) : nodes.setBuckets(id, "[" + i + "]"));
        assertTrue(results.stream().allMatch(Boolean::booleanValue));
        // every one of the 10 + 10 writes became its own version: none overwrote another unseen
        assertEquals(workerVersion + 10, version(id, NodeParameterName.WORKER_ID));
        assertEquals(bucketsVersion + 10, version(id, NodeParameterName.BUCKETS));
        NodeControlState state = nodes.find(id).orElseThrow();
        assertTrue(state.workerId() % 2 == 0 && state.workerId() < 20);
        assertTrue(state.buckets().matches("\\[\\d+]"));
    }

    @Test
    void dataPlaneReportsAreStoredAndReadBackIncludingForNodesRegisteredBeforeTheRowExisted() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        NodeControlState fresh = nodes.find(id).orElseThrow();
        assertEquals(DataPlane.NONE, fresh.dataPlane());
        assertNull(fresh.dataPlaneReportedAt());
        assertTrue(nodes.reportDataPlane(id, new DataPlane(3, 1_000_000_000_000L, 42, 1)));
        NodeControlState reported = nodes.find(id).orElseThrow();
        assertEquals(new DataPlane(3, 1_000_000_000_000L, 42, 1), reported.dataPlane());
        assertTrue(reported.dataPlaneReportedAt() != null);
        assertFalse(nodes.reportDataPlane(UUID.randomUUID().toString(), DataPlane.NONE));
        // a node registered before the data_plane row existed: its report finds no row (the operator role
        // may not INSERT) until migration V3 gives every such node its row
        String older = UUID.randomUUID().toString();
        nodes.register(older, null);
        execute("DELETE FROM node_parameter WHERE node_id = ? AND param_name = 'data_plane'", older);
        assertEquals(DataPlane.NONE, nodes.find(older).orElseThrow().dataPlane());
        assertFalse(nodes.reportDataPlane(older, new DataPlane(1, 2, 1, 0)));
        try (var v3 = getClass().getResourceAsStream("/db/migration/V3__data_plane_rows.sql")) {
            execute(new String(v3.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip().replaceAll(";$", ""));
        }
        assertTrue(nodes.reportDataPlane(older, new DataPlane(1, 2, 1, 0)));
        assertEquals(new DataPlane(1, 2, 1, 0), nodes.find(older).orElseThrow().dataPlane());
    }

    @Test
    void operatorSecretIsEncryptedAtRest() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, "very-secret-value");
        String stored = rawValue(id, NodeParameterName.OPERATOR_SECRET);
        assertFalse(stored.contains("very-secret-value"));
        assertTrue(stored.startsWith("v1:"));
        assertEquals("very-secret-value", nodes.operatorSecret(id).orElseThrow());
        // a second registration with a new secret replaces it
        nodes.register(id, "rotated");
        assertEquals("rotated", nodes.operatorSecret(id).orElseThrow());
        // a ciphertext moved to another node does not decrypt there
        String other = UUID.randomUUID().toString();
        nodes.register(other, "x");
        execute("UPDATE node_parameter SET param_value = ? WHERE node_id = ? AND param_name = 'operator_secret'", stored, other);
        Set<String> messages = new HashSet<>();
        try {
            nodes.operatorSecret(other);
        } catch (IllegalStateException e) {
            messages.add(e.getMessage());
        }
        assertEquals(Set.of("Stored secret cannot be decrypted with the configured key"), messages);
    }

    private <T> List<T> race(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> c = () -> {
                    go.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(c));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The pool itself, outside Micronaut's transaction-aware proxy. */
    private DataSource rawDataSource() {
        return io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(dataSource);
    }

    private long version(String nodeId, String name) throws Exception {
        try (Connection c = rawDataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT version FROM node_parameter WHERE node_id = ? AND param_name = ?")) {
            s.setString(1, nodeId);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getLong(1);
            }
        }
    }

    private String rawValue(String nodeId, String name) throws Exception {
        try (Connection c = rawDataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT param_value FROM node_parameter WHERE node_id = ? AND param_name = ?")) {
            s.setString(1, nodeId);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }

    private void execute(String sql, String... args) throws Exception {
        try (Connection c = rawDataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
