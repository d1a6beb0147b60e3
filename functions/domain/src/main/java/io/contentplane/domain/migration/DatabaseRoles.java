package io.contentplane.domain.migration;

import io.contentplane.domain.secrets.RuntimeSecrets;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One PostgreSQL login role per function that uses the database, with only the privileges its
 * queries need (docs/migrations-and-roles.md). The migration function creates the roles that are
 * missing, sets each one's password from the function's own secret ({@code {"username","password"}},
 * the same secret the function reads as DATABASE_SECRET_ARN) and replaces its privileges with exactly
 * the ones below, on every run: a privilege removed here is revoked by the next deploy.
 * A table added by a migration is reachable by no function until it is granted here.
 */
public final class DatabaseRoles {

    /** Privileges on one table; a column list limits UPDATE to those columns. */
    public record Grant(String table, List<String> privileges, List<String> updatableColumns) {
        static Grant of(String table, String... privileges) {
            return new Grant(table, List.of(privileges), List.of());
        }

        Grant updating(String... columns) {
            return new Grant(table, privileges, List.of(columns));
        }
    }

    /**
     * A function's role: its name, the variable that names its secret (in the migration function's
     * environment) and its privileges, from the SQL it runs (NodeParameterRepository,
     * EventOutboxRepository, NodeControlService).
     */
    public enum Role {
        /** Verifies tokens (reads secrets), changes node state (conditional UPDATEs), appends events. */
        OPERATOR("contentplane_operator", "OPERATOR_DATABASE_SECRET_ARN", List.of(
                Grant.of("node_parameter", "SELECT", "UPDATE").updating("param_value", "version", "updated_at"),
                Grant.of("event_outbox", "INSERT"))),
        /** Read-only: the public status API. */
        STATUS("contentplane_status", "STATUS_DATABASE_SECRET_ARN", List.of(
                Grant.of("node_parameter", "SELECT"))),
        /** Registers the nodes it creates (insert if absent, set the operator secret). */
        INTEGRATION("contentplane_integration", "INTEGRATION_DATABASE_SECRET_ARN", List.of(
                Grant.of("node_parameter", "SELECT", "INSERT", "UPDATE").updating("param_value", "version", "updated_at"))),
        /** Relays the outbox: reads pending events and stamps them relayed; never sees node secrets. */
        DISPATCHER("contentplane_dispatcher", "DISPATCHER_DATABASE_SECRET_ARN", List.of(
                Grant.of("event_outbox", "SELECT", "UPDATE").updating("relayed_at")));

        private final String roleName;
        private final String secretVariable;
        private final List<Grant> grants;

        Role(String roleName, String secretVariable, List<Grant> grants) {
            this.roleName = roleName;
            this.secretVariable = secretVariable;
            this.grants = grants;
        }

        public String roleName() {
            return roleName;
        }

        public String secretVariable() {
            return secretVariable;
        }

        public List<Grant> grants() {
            return grants;
        }
    }

    /** A role with the password it logs in with (never logged, never put into SQL text). */
    public record Login(Role role, String password) {
        @Override
        public String toString() {
            return "Login[" + role.roleName() + "]";
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DatabaseRoles() {
    }

    /**
     * The logins of the roles whose secret the environment names, read from Secrets Manager (one
     * client from the environment, as {@link RuntimeSecrets}); empty, without a client, when it names none.
     * A secret whose username is not the role's name is refused: it would give a function another role.
     */
    public static List<Login> logins(Map<String, String> environment) {
        List<Role> named = new ArrayList<>();
        for (Role role : Role.values()) {
            String arn = environment.get(role.secretVariable());
            if (arn != null && !arn.isBlank()) {
                named.add(role);
            }
        }
        if (named.isEmpty()) {
            return List.of();
        }
        List<Login> logins = new ArrayList<>();
        try (SecretsManagerClient client = RuntimeSecrets.client(environment)) {
            for (Role role : named) {
                String arn = environment.get(role.secretVariable()).trim();
                Map<String, String> values = RuntimeSecrets.read(client, role.secretVariable(), arn);
                if (!role.roleName().equals(values.get("username"))) {
                    throw new RuntimeSecrets.SecretUnavailableException("Secret " + role.secretVariable() + " (" + arn
                            + ") must have username '" + role.roleName() + "'");
                }
                String password = values.get("password");
                if (password == null || password.length() < 16) {
                    throw new RuntimeSecrets.SecretUnavailableException("Secret " + role.secretVariable() + " (" + arn
                            + ") has no password of at least 16 characters");
                }
                logins.add(new Login(role, password));
            }
        }
        return logins;
    }

    /**
     * Creates the missing roles, sets their passwords and replaces their privileges, in one
     * transaction (all roles change, or none). PostgreSQL only; the connection must belong to the
     * owner of the tables (the master user). Returns the names of the roles applied.
     */
    public static List<String> apply(Connection connection, List<Login> logins) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            String database = currentDatabase(connection);
            try (Statement s = connection.createStatement()) {
                // PostgreSQL 15's default, made explicit for older servers: no role creates objects in the
                // schema but its owner (the master user, through the migrations).
                s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            }
            List<String> applied = new ArrayList<>();
            for (Login login : logins) {
                apply(connection, database, login);
                applied.add(login.role().roleName());
            }
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void apply(Connection connection, String database, Login login) throws SQLException {
        Role role = login.role();
        String name = identifier(role.roleName());
        try (Statement s = connection.createStatement()) {
            if (!exists(connection, role.roleName())) {
                s.execute("CREATE ROLE " + name + " LOGIN");
            } else {
                s.execute("ALTER ROLE " + name + " LOGIN");
            }
            // The driver sends a SCRAM-SHA-256 verifier computed here: the password itself never appears
            // in a statement (nor in a server log that records statements).
            connection.unwrap(PGConnection.class).alterUserPassword(role.roleName(), login.password().toCharArray(),
                    "scram-sha-256");
            s.execute("GRANT CONNECT ON DATABASE " + identifier(database) + " TO " + name);
            s.execute("GRANT USAGE ON SCHEMA public TO " + name);
            // Exactly the privileges below: whatever an earlier version granted is taken back first
            // (revoking table privileges also revokes the column privileges on them).
            s.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + name);
            s.execute("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM " + name);
            for (Grant grant : role.grants()) {
                for (String privilege : grant.privileges()) {
                    String columns = privilege.equals("UPDATE") && !grant.updatableColumns().isEmpty()
                            ? " (" + String.join(", ", grant.updatableColumns().stream().map(DatabaseRoles::identifier).toList()) + ")"
                            : "";
                    s.execute("GRANT " + privilege + columns + " ON TABLE public." + identifier(grant.table()) + " TO " + name);
                }
            }
        }
    }

    private static boolean exists(Connection connection, String role) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            p.setString(1, role);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String currentDatabase(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT current_database()")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Names are constants of this class or the database's own name; quoted, and checked to be plain. */
    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain SQL identifier: " + name);
        }
        return "\"" + name + "\"";
    }
}
