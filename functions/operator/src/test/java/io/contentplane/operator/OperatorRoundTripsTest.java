package io.contentplane.operator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.OperatorTokens;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Database round trips per operator operation, counted at the JDBC driver boundary: each change is
 * its conditional UPDATE plus its outbox INSERT, committed once.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorRoundTripsTest implements TestPropertyProvider {
    static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static final String DEFAULT_SECRET = "default-operator-secret";
    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    @Inject
    NodeControlService nodes;
    @Inject
    JdbcStatementCounter jdbc;
    OperatorFunction handler;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        props.put("operator.hmac-secret", DEFAULT_SECRET);
        props.put(JdbcStatementCounter.ENABLED, "true");
        return props;
    }

    @BeforeAll
    void start() {
        handler = new OperatorFunction(context);
        nodes.register(DEFAULT_NODE, DEFAULT_SECRET);
    }

    @BeforeEach
    void startedDefaultNode() {
        nodes.startApi(DEFAULT_NODE);
    }

    @Test
    void setWorkerIsOneUpdateAndItsEventInOneTransaction() {
        assertEquals(200, post(null, "set-worker", "{\"workerId\":3}").getStatusCode());
        assertEquals(List.of("UPDATE", "INSERT"), jdbc.verbs(), jdbc.statements().toString());
        assertTrue(jdbc.statements().get(0).contains("node_parameter"));
        assertTrue(jdbc.statements().get(1).contains("event_outbox"));
        assertEquals(1, jdbc.commits());
    }

    /** A token naming its node ({@code kid}) costs one read more: the node's secret, before the transaction. */
    @Test
    void setWorkerOfANamedNodeAlsoReadsItsSecret() {
        String node = UUID.randomUUID().toString();
        nodes.register(node, "node-secret");
        assertEquals(200, post(new String[]{node, "node-secret"}, "set-worker", "{\"workerId\":3}").getStatusCode());
        assertEquals(List.of("SELECT", "UPDATE", "INSERT"), jdbc.verbs(), jdbc.statements().toString());
        assertEquals(1, jdbc.commits());
    }

    @Test
    void stopApiIsOneConditionalUpdateAndItsEventInOneTransaction() {
        assertEquals(200, post(null, "stop-api", null).getStatusCode());
        assertEquals(List.of("UPDATE", "INSERT"), jdbc.verbs(), jdbc.statements().toString());
        assertTrue(jdbc.statements().get(0).contains("EXISTS"), "the lifecycle condition is part of the UPDATE");
        assertEquals(1, jdbc.commits());
    }

    /** A refused change writes no event; the state is read only to say why. */
    @Test
    void stopApiOfAStoppedNodeReadsTheStateToAnswer409() {
        nodes.stopApi(DEFAULT_NODE);
        assertEquals(409, post(null, "stop-api", null).getStatusCode());
        assertEquals(List.of("UPDATE", "SELECT"), jdbc.verbs(), jdbc.statements().toString());
        assertEquals(1, jdbc.commits());
    }

    @Test
    void anUnauthenticatedRequestTouchesNoStore() {
        String forged = OperatorTokens.cli("not-the-secret", "/api/v1/set-worker", Map.of("workerId", 3));
        jdbc.reset();
        assertEquals(401, handler.handleRequest(LambdaEvents.request("POST", "/api/v1/set-worker",
                Map.of("Authorization", "Bearer " + forged), "{\"workerId\":3}"), LambdaEvents.context()).getStatusCode());
        assertEquals(List.of(), jdbc.statements());
    }

    /** Posts with a valid token, for the default node ({@code node} null) or {id, secret}; counts only the request. */
    APIGatewayProxyResponseEvent post(String[] node, String op, String body) {
        String path = "/api/v1/" + op;
        Object parsed = body == null ? Map.of() : parse(body);
        String token = node == null
                ? OperatorTokens.cli(DEFAULT_SECRET, path, parsed)
                : OperatorTokens.forNode(node[0], node[1], path, parsed);
        jdbc.reset();
        return handler.handleRequest(LambdaEvents.request("POST", path, Map.of("Authorization", "Bearer " + token), body),
                LambdaEvents.context());
    }

    Object parse(String body) {
        try {
            return json.readValue(body, Argument.of(Object.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
