package io.contentplane.status;

import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Database round trips of the public API: every answer, found or not, is one SELECT and no transaction. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusRoundTripsTest implements TestPropertyProvider {
    @Inject
    ApplicationContext context;
    @Inject
    NodeControlService nodes;
    @Inject
    JdbcStatementCounter jdbc;
    StatusFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put(JdbcStatementCounter.ENABLED, "true");
        return props;
    }

    @BeforeAll
    void start() {
        handler = new StatusFunction(context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "buckets"})
    void aRunningNodeIsOneSelect(String resource) {
        String node = UUID.randomUUID().toString();
        nodes.register(node, null);
        assertEquals(200, get("/api/v1/nodes/" + node + "/" + resource));
        assertEquals(List.of("SELECT"), jdbc.verbs(), jdbc.statements().toString());
        assertEquals(0, jdbc.commits());
    }

    @Test
    void aStoppedNodeIsOneSelect() {
        String node = UUID.randomUUID().toString();
        nodes.register(node, null);
        nodes.stopApi(node);
        assertEquals(503, get("/api/v1/nodes/" + node + "/status"));
        assertEquals(List.of("SELECT"), jdbc.verbs(), jdbc.statements().toString());
    }

    @Test
    void anUnknownNodeIsOneSelect() {
        assertEquals(404, get("/api/v1/nodes/" + UUID.randomUUID() + "/status"));
        assertEquals(List.of("SELECT"), jdbc.verbs(), jdbc.statements().toString());
    }

    /** Counts only the request. */
    int get(String path) {
        jdbc.reset();
        return handler.handleRequest(LambdaEvents.request("GET", path, Map.of(), null), LambdaEvents.context()).getStatusCode();
    }
}
