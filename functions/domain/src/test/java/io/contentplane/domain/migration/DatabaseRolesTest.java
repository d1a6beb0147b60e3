package io.contentplane.domain.migration;

import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.OutboxEvent;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.TransitionResult;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.contentplane.domain.migration.DatabaseRoles.Role.DISPATCHER;
import static io.contentplane.domain.migration.DatabaseRoles.Role.INTEGRATION;
import static io.contentplane.domain.migration.DatabaseRoles.Role.OPERATOR;
import static io.contentplane.domain.migration.DatabaseRoles.Role.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The functions' roles on a real PostgreSQL: each role runs the very code of its function
 * (NodeControlService, EventOutboxRepository) with its own login, and is refused everything else.
 */
class DatabaseRolesTest {
    private static final String NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    private static final Map<DatabaseRoles.Role, String> PASSWORDS = new HashMap<>();
    private static Map<String, Object> master;

    @BeforeAll
    static void migrate() throws Exception {
        master = TestDatabases.postgres();
        for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
            PASSWORDS.put(role, "pw-" + UUID.randomUUID());
        }
        DatabaseMigration.Outcome outcome = DatabaseMigration.run(master, NODE, "operator-secret", logins());
        assertEquals("3", outcome.schemaVersion());
        assertEquals(List.of("contentplane_operator", "contentplane_status", "contentplane_integration",
                "contentplane_dispatcher"), outcome.roles());
    }

    private static List<DatabaseRoles.Login> logins() {
        return PASSWORDS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new DatabaseRoles.Login(e.getKey(), e.getValue())).toList();
    }

    @Test
    void statusReadsNodeStateAndCannotChangeIt() throws Exception {
        try (ApplicationContext status = contextAs(STATUS)) {
            NodeControlService nodes = status.getBean(NodeControlService.class);
            assertTrue(nodes.find(NODE).isPresent(), "the status function reads the node's state");
            assertDenied(() -> nodes.stopApi(NODE));
            assertDenied(() -> nodes.register(UUID.randomUUID().toString(), null));
            assertDenied(() -> status.getBean(EventOutboxRepository.class).pending(1));
        }
        try (Connection c = connect(STATUS)) {
            assertDenied(c, "DELETE FROM node_parameter");
            assertDenied(c, "UPDATE node_parameter SET version = version + 1");
            assertDenied(c, "CREATE TABLE status_scratch (id INT)");
        }
    }

    @Test
    void operatorChangesNodeStateWithItsEventAndNothingElse() throws Exception {
        try (ApplicationContext operator = contextAs(OPERATOR)) {
            NodeControlService nodes = operator.getBean(NodeControlService.class);
            assertTrue(nodes.operatorSecret(NODE).isPresent(), "reads the node's operator secret");
            assertEquals(TransitionResult.DONE, nodes.stopApi(NODE), "conditional UPDATE and outbox INSERT");
            assertEquals(TransitionResult.DONE, nodes.startApi(NODE));
            assertTrue(nodes.setWorker(NODE, 3));
            assertDenied(() -> nodes.register(UUID.randomUUID().toString(), null));
            assertDenied(() -> operator.getBean(EventOutboxRepository.class).pending(1));
        }
        try (Connection c = connect(OPERATOR)) {
            assertDenied(c, "UPDATE node_parameter SET node_id = 'other' WHERE node_id = '" + NODE + "'");
            assertDenied(c, "DELETE FROM node_parameter");
            assertDenied(c, "DELETE FROM event_outbox");
        }
    }

    @Test
    void integrationRegistersNodesAndNeverSeesTheOutbox() throws Exception {
        String node = UUID.randomUUID().toString();
        try (ApplicationContext integration = contextAs(INTEGRATION)) {
            NodeControlService nodes = integration.getBean(NodeControlService.class);
            nodes.register(node, "its-secret");
            nodes.register(node, "replaced-secret");
            assertEquals("replaced-secret", nodes.operatorSecret(node).orElseThrow());
            assertDenied(() -> integration.getBean(EventOutboxRepository.class).pending(1));
        }
        try (Connection c = connect(INTEGRATION)) {
            assertDenied(c, "DELETE FROM node_parameter WHERE node_id = '" + node + "'");
        }
    }

    @Test
    void dispatcherRelaysTheOutboxAndCannotReadNodeSecrets() throws Exception {
        try (ApplicationContext operator = contextAs(OPERATOR)) {
            operator.getBean(NodeControlService.class).setBuckets(NODE, "[\"1:0\"]");
        }
        try (ApplicationContext dispatcher = contextAs(DISPATCHER)) {
            EventOutboxRepository outbox = dispatcher.getBean(EventOutboxRepository.class);
            List<OutboxEvent> pending = outbox.pending(100);
            assertFalse(pending.isEmpty(), "the operator's events are pending");
            assertEquals(1, outbox.markRelayed(pending.get(0).eventId(), LocalDateTime.now()));
            assertDenied(() -> dispatcher.getBean(NodeControlService.class).operatorSecret(NODE));
        }
        try (Connection c = connect(DISPATCHER)) {
            assertDenied(c, "UPDATE event_outbox SET payload = '{}'");
            assertDenied(c, "INSERT INTO event_outbox (event_id, node_id, event_type, payload, occurred_at)"
                    + " VALUES ('x', 'n', 't', '{}', now())");
        }
    }

    @Test
    void aSecondRunChangesPasswordsAndKeepsExactlyTheGrants() throws Exception {
        String old = PASSWORDS.get(STATUS);
        try (Connection c = connect(STATUS)) {
            assertTrue(c.isValid(2));
        }
        // An extra privilege granted by hand is taken back by the next run.
        try (Connection c = DriverManager.getConnection(url(), "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("GRANT DELETE ON node_parameter TO contentplane_status");
        }
        PASSWORDS.put(STATUS, "rotated-" + UUID.randomUUID());
        DatabaseMigration.Outcome again = DatabaseMigration.run(master, NODE, "operator-secret", logins());
        assertEquals("3", again.schemaVersion());
        assertEquals(4, again.roles().size());

        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url(), STATUS.roleName(), old).close());
        assertEquals("28P01", refused.getSQLState(), "the old password no longer logs in");
        try (Connection c = connect(STATUS)) {
            assertDenied(c, "DELETE FROM node_parameter");
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM node_parameter WHERE node_id = '" + NODE + "'")) {
                r.next();
                assertEquals(6, r.getInt(1), "the default node is registered once, whatever the number of runs");
            }
        }
    }

    @Test
    void noPasswordAppearsInTheStatementsSent() {
        // The password travels as a SCRAM verifier (PGConnection.alterUserPassword), so a server that logs
        // statements never logs it; its verifier is what the catalogue holds.
        try (Connection c = DriverManager.getConnection(url(), "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'contentplane_operator'")) {
            r.next();
            assertTrue(r.getString(1).startsWith("SCRAM-SHA-256$"), r.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApplicationContext contextAs(DatabaseRoles.Role role) {
        Map<String, Object> p = new HashMap<>(master);
        p.put("flyway.datasources.default.enabled", false);
        p.put("datasources.default.url", url());
        p.put("datasources.default.username", role.roleName());
        p.put("datasources.default.password", PASSWORDS.get(role));
        p.put("datasources.default.maximum-pool-size", 2);
        return ApplicationContext.run(p);
    }

    private static Connection connect(DatabaseRoles.Role role) throws SQLException {
        return DriverManager.getConnection(url(), role.roleName(), PASSWORDS.get(role));
    }

    /** The database's URL without the fixture's {@code ?user=postgres}, which would win over any login. */
    private static String url() {
        String url = (String) master.get("datasources.default.url");
        return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }

    private static void assertDenied(Runnable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        Throwable cause = e;
        while (cause != null && !(cause instanceof SQLException)) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof SQLException sql && "42501".equals(sql.getSQLState()),
                "refused for lack of privilege (42501), not for another reason: " + e);
    }

    private static void assertDenied(Connection c, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        });
        assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
    }
}
