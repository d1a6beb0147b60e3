package io.contentplane.operator;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator function's SnapStart priming: a request through the handler that changes nothing. */
class OperatorPrimingTest {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static ApplicationContext context;
    static OperatorFunction handler;
    static JdbcStatementCounter jdbc;

    @BeforeAll
    static void start() {
        Map<String, Object> props = TestDatabases.h2();
        props.put("node.id", DEFAULT_NODE);
        props.put("operator.hmac-secret", "default-operator-secret");
        props.put(JdbcStatementCounter.ENABLED, true);
        context = ApplicationContext.run(props);
        handler = new OperatorFunction(context);
        jdbc = context.getBean(JdbcStatementCounter.class);
        context.getBean(NodeControlService.class).register(DEFAULT_NODE, "default-operator-secret");
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    @Test
    void primingRunsRequestsThroughTheHandlerAndWritesNothing() throws Exception {
        Map<String, Long> rows = TestDatabases.relationalRows(context);
        jdbc.reset();

        handler.priming().beforeCheckpoint(null);

        // both refused as unauthenticated; the first looked up its random node's secret
        assertEquals(List.of(401, 401), handler.priming().statuses());
        assertEquals(List.of("SELECT"), jdbc.verbs(), jdbc.statements().toString());
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
}
