package io.contentplane.status;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status function's SnapStart priming: requests through the handler that change nothing. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPrimingTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    @Inject
    ApplicationContext context;
    @Inject
    JdbcStatementCounter jdbc;
    StatusFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put(JdbcStatementCounter.ENABLED, "true");
        return props;
    }

    @BeforeAll
    void start() {
        handler = new StatusFunction(context);
        context.getBean(NodeControlService.class).register(DEFAULT_NODE, null);
    }

    @Test
    void primingRunsRequestsThroughTheHandlerAndWritesNothing() throws Exception {
        Map<String, Long> rows = TestDatabases.relationalRows(context);
        jdbc.reset();

        handler.priming().beforeCheckpoint(null);

        // a random node is not found; the default node answers its status
        assertEquals(List.of(404, 200), handler.priming().statuses());
        assertEquals(List.of("SELECT", "SELECT"), jdbc.verbs(), jdbc.statements().toString());
        assertEquals(0, jdbc.commits());
        assertEquals(rows, TestDatabases.relationalRows(context));
    }

    @Test
    void afterRestoreClosesTheConnectionsPrimingLeftInThePool() throws Exception {
        handler.priming().beforeCheckpoint(null);
        HikariPoolMXBean pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class).getHikariPoolMXBean();
        assertTrue(pool.getIdleConnections() > 0);

        handler.priming().afterRestore(null);

        assertEquals(0, pool.getTotalConnections());
    }

    /** JDBC_MIN_IDLE=1 (template.yaml): the pool connects on its own, and again on its own after a restore. */
    @Test
    void withAKeptConnectionThePoolReconnectsOnItsOwnAfterRestore() throws Exception {
        Map<String, Object> props = TestDatabases.h2();
        props.put("node.id", DEFAULT_NODE);
        props.put("datasources.default.minimum-idle", 1);
        try (ApplicationContext keeping = ApplicationContext.run(props)) {
            StatusFunction function = new StatusFunction(keeping);
            DataSource dataSource = keeping.getBean(DataSource.class);
            HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
            awaitIdleConnection(pool); // no request has run: the pool's own thread connected
            long before = sessionId(dataSource);

            function.priming().afterRestore(null);

            awaitIdleConnection(pool);
            assertNotEquals(before, sessionId(dataSource), "a new connection, not the one from before the snapshot");
        }
    }

    private static void awaitIdleConnection(HikariPoolMXBean pool) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (pool.getIdleConnections() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(pool.getIdleConnections() >= 1, "the pool keeps a connection open");
    }

    private static long sessionId(DataSource dataSource) throws java.sql.SQLException {
        // The bean is micronaut-data's contextual proxy; the pool itself hands out connections directly.
        try (java.sql.Connection connection = dataSource.unwrap(HikariDataSource.class).getConnection();
             java.sql.ResultSet result = connection.createStatement().executeQuery("SELECT SESSION_ID()")) {
            result.next();
            return result.getLong(1);
        }
    }
}
