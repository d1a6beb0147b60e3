package io.contentplane.domain.migration;

import io.contentplane.domain.node.NodeControlService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploy step of the database, shared by the migration function (run by the stack's custom
 * resource) and {@code local.jar migrate}: applies the Flyway migrations (db/migration) with the
 * master user, registers the default node with its operator secret, then creates or updates the
 * functions' roles ({@link DatabaseRoles}) when their logins are given. Every step is idempotent:
 * a second run with nothing new changes nothing.
 */
public final class DatabaseMigration {

    /** What a run left: the schema's version and the roles it applied. */
    public record Outcome(String schemaVersion, List<String> roles) {
    }

    private DatabaseMigration() {
    }

    /**
     * Runs the migration with {@code datasource}: the {@code datasources.default.*} properties of the
     * master user, and {@code crypto.data-key} (the operator secret is stored encrypted).
     */
    public static Outcome run(Map<String, Object> datasource, String nodeId, @Nullable String operatorSecret,
                              List<DatabaseRoles.Login> logins) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>(datasource);
        p.put("flyway.datasources.default.enabled", true);
        String url = String.valueOf(p.get("datasources.default.url"));
        p.putIfAbsent("datasources.default.dialect", url.startsWith("jdbc:h2:") ? "H2" : "POSTGRES");
        p.put("node.id", nodeId);
        // Fail fast: the migration is the only user of this pool, and its error is the deploy's reason.
        p.put("datasources.default.minimum-idle", 0);
        p.put("datasources.default.maximum-pool-size", 2);
        try (ApplicationContext context = ApplicationContext.builder().environments("migrate").properties(p).start()) {
            // Creating the pool runs the migrations (micronaut-flyway), before anything else uses it.
            DataSource dataSource = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
            context.getBean(NodeControlService.class).register(nodeId, operatorSecret);
            try (Connection connection = dataSource.getConnection()) {
                String version = schemaVersion(connection);
                List<String> roles = logins.isEmpty() ? List.of() : DatabaseRoles.apply(connection, logins);
                return new Outcome(version, roles);
            }
        }
    }

    /** The version of the last migration applied, from Flyway's history table. */
    private static String schemaVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
                        + " ORDER BY \"installed_rank\" DESC FETCH FIRST 1 ROWS ONLY")) {
            if (!r.next()) {
                throw new IllegalStateException("No migration was applied: is micronaut-flyway on the classpath?");
            }
            return r.getString(1);
        }
    }
}
