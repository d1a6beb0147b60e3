package io.contentplane.operator;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator function's SnapStart priming: a request through the handler that changes nothing. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorPrimingTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    @Inject
    ApplicationContext context;
    @Inject
    JdbcStatementCounter jdbc;
    OperatorFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put("operator.hmac-secret", "default-operator-secret");
        props.put(JdbcStatementCounter.ENABLED, "true");
        return props;
    }

    @BeforeAll
    void start() {
        handler = new OperatorFunction(context);
        context.getBean(NodeControlService.class).register(DEFAULT_NODE, "default-operator-secret");
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
