package io.contentplane.migrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import io.contentplane.domain.migration.DatabaseMigration;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.secrets.RuntimeSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The migration function: the stack's custom resource (template.yaml, DatabaseMigrations) invokes it
 * on Create and on every Update (its properties carry the function's published version, so every
 * deploy that changes the code re-runs it). Create and Update run {@link DatabaseMigration} with the
 * master user: Flyway's migrations, the default node, the functions' roles. Delete answers SUCCESS
 * without touching the database: deleting the stack (or replacing the resource) never drops data.
 * Every request is answered by a PUT to its ResponseURL: a failure is FAILED with the reason, which
 * fails the deploy and shows in the stack events. The function never migrates in its init phase (no
 * SnapStart, nothing connects before a request): only a request runs a migration.
 * <p>
 * Invoked directly ({@code aws lambda invoke}, an event without RequestType), it runs the same
 * migration and returns its outcome, or fails with the reason: e.g. to apply a role password rotated
 * in Secrets Manager without a deploy.
 */
public class MigrationFunction implements RequestHandler<CloudFormationCustomResourceEvent, Map<String, String>> {
    /** The custom resource's physical id: one migration per stack, the same across updates. */
    static final String PHYSICAL_ID = "contentplane-database-migrations";
    /** Time kept to send FAILED before Lambda stops a migration that runs out of time. */
    static final Duration ANSWER_RESERVE = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(MigrationFunction.class);

    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public MigrationFunction() {
        this(System.getenv());
    }

    MigrationFunction(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Map<String, String> handleRequest(CloudFormationCustomResourceEvent event, Context context) {
        if (event == null || event.getRequestType() == null) {
            Map<String, String> outcome = migrate();
            LOG.info("Direct invocation: {}", outcome);
            return outcome;
        }
        String physicalId = event.getPhysicalResourceId() != null ? event.getPhysicalResourceId() : PHYSICAL_ID;
        CustomResourceResponse response = switch (event.getRequestType()) {
            case "Create", "Update" -> migrateWithin(event, physicalId, context);
            // The schema and its data stay: the cluster has its own deletion policy (snapshot).
            case "Delete" -> CustomResourceResponse.success(event, physicalId, "Nothing to do: the database is kept", Map.of());
            default -> CustomResourceResponse.failed(event, physicalId, "Unknown RequestType " + event.getRequestType());
        };
        LOG.info("{} {} ({}): {} {}", event.getRequestType(), event.getLogicalResourceId(), event.getRequestId(),
                response.status(), response.status().equals(CustomResourceResponse.FAILED) ? response.reason() : response.data());
        response.send(http, event.getResponseUrl());
        return response.data();
    }

    /** Runs the migration, giving up in time to answer FAILED before the function's own timeout. */
    private CustomResourceResponse migrateWithin(CloudFormationCustomResourceEvent event, String physicalId, Context context) {
        long budget = context.getRemainingTimeInMillis() - ANSWER_RESERVE.toMillis();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "migration");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Map<String, String>> run = runner.submit(this::migrate);
            Map<String, String> outcome = run.get(Math.max(budget, 1_000L), TimeUnit.MILLISECONDS);
            return CustomResourceResponse.success(event, physicalId, "Migrated to version " + outcome.get("SchemaVersion"), outcome);
        } catch (ExecutionException e) {
            LOG.error("Migration failed", e.getCause());
            return CustomResourceResponse.failed(event, physicalId, "Migration failed: " + reason(e.getCause())
                    + " (log stream " + context.getLogStreamName() + ")");
        } catch (TimeoutException e) {
            return CustomResourceResponse.failed(event, physicalId, "Migration did not finish within the function's timeout"
                    + " (log stream " + context.getLogStreamName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CustomResourceResponse.failed(event, physicalId, "Migration interrupted");
        } finally {
            runner.shutdownNow();
        }
    }

    /**
     * One migration with this environment's settings: JDBC_URL, NODE_ID, the master user's secret
     * (DATABASE_SECRET_ARN), the default node's operator secret (OPERATOR_HMAC_SECRET_ARN), the data key
     * (DATA_ENCRYPTION_KEY_SECRET_ARN) and the roles' secrets (OPERATOR_DATABASE_SECRET_ARN, ...).
     */
    Map<String, String> migrate() {
        String url = required("JDBC_URL");
        String nodeId = required("NODE_ID");
        Map<String, Object> properties = new LinkedHashMap<>(RuntimeSecrets.load(environment));
        Object operatorSecret = properties.remove("operator.hmac-secret");
        properties.put("datasources.default.url", url);
        try {
            DatabaseMigration.Outcome outcome = DatabaseMigration.run(properties, nodeId,
                    operatorSecret == null ? null : operatorSecret.toString(), DatabaseRoles.logins(environment));
            Map<String, String> data = new LinkedHashMap<>();
            data.put("SchemaVersion", outcome.schemaVersion());
            data.put("Roles", String.join(",", outcome.roles()));
            data.put("DefaultNodeId", nodeId);
            return data;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String required(String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set");
        }
        return value.trim();
    }

    /**
     * What the stack events show: Flyway's report when a migration failed (script, SQL state, message,
     * location), else the innermost cause; on one line.
     */
    static String reason(Throwable failure) {
        Throwable flyway = null;
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (flyway == null && t.getClass().getName().startsWith("org.flywaydb.")) {
                flyway = t;
            }
            innermost = t;
        }
        Throwable chosen = flyway != null ? flyway : innermost;
        String message = chosen.getMessage() == null ? chosen.getClass().getSimpleName()
                : chosen.getClass().getSimpleName() + ": " + chosen.getMessage();
        return message.replaceAll("-{3,}", " ").replaceAll("\\s+", " ").trim();
    }
}
