package io.contentplane.local;

import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryWorker;
import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.delivery.QueuePoller;
import io.contentplane.domain.delivery.SqsClientFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.migration.DatabaseMigration;
import io.contentplane.domain.migration.DatabaseRoles;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.security.OperatorKey;
import io.contentplane.domain.security.PlatformSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every HTTP group on one port on embedded stores, and offers the commands a developer needs
 * beside it:
 * <pre>
 *   java -jar local.jar                          serve (PORT, default 3335)
 *   java -jar local.jar token PATH [JSON_BODY]   print an operator token as Argus's CLI makes it
 *   java -jar local.jar sign-event FILE          print an events/ file with a fresh operator token
 *   java -jar local.jar migrate                  migrate the database at JDBC_URL, register NODE_ID (and the roles named)
 *   java -jar local.jar create-api-key KEY TENANT  store an integration API key (secret from NEW_API_SECRET)
 *   java -jar local.jar revoke-api-key KEY        disable an integration API key and end its logins at once
 *   java -jar local.jar distributions-token [WS]  print a distributions token (all scopes, WORKSPACE by default)
 *   java -jar local.jar sam-stores ENV_FILE      the stores of `sam local` (PostgreSQL, LocalStack), SAM's --env-vars file
 * </pre>
 */
public final class LocalRunner {
    private LocalRunner() {
    }

    public static void main(String[] args) throws Exception {
        LocalSettings settings;
        try {
            settings = LocalSettings.from(System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve" -> serve(settings);
            case "token" -> System.out.println(token(settings, Arrays.copyOfRange(args, 1, args.length)));
            case "sign-event" -> System.out.println(signEvent(settings, args, System::getenv));
            case "migrate" -> migrate(settings, System.getenv());
            case "create-api-key" -> createApiKey(args, System::getenv);
            case "revoke-api-key" -> System.exit(revokeApiKey(args, System::getenv));
            case "distributions-token" -> System.out.println(distributionsToken(settings,
                    args.length > 1 ? args[1] : settings.workspace()));
            case "sam-stores" -> {
                if (args.length != 2) {
                    throw new IllegalArgumentException("Usage: AWS_ENDPOINT_URL=... java -jar local.jar sam-stores ENV_VARS_FILE");
                }
                SamStores.run(settings, System::getenv, Path.of(args[1]));
            }
            default -> {
                System.err.println("Usage: java -jar local.jar [serve | token PATH [JSON_BODY] | sign-event FILE | migrate | create-api-key KEY TENANT | revoke-api-key KEY | distributions-token [WORKSPACE] | sam-stores ENV_VARS_FILE]");
                System.exit(2);
            }
        }
    }

    /** The running server, its webhook delivery and the stores it owns; closing stops them all. */
    record LocalServer(ApplicationContext context, @Nullable EmbeddedDynamo dynamo, @Nullable EmbeddedSqs sqs,
                       Delivery delivery, int port) implements AutoCloseable {
        @Override
        public void close() {
            stop(delivery, context, sqs, dynamo);
        }
    }

    /** In order: delivery (its pollers use the queues), the context, then the stores. Each part may be stopped already. */
    private static void stop(@Nullable Delivery delivery, ApplicationContext context, @Nullable EmbeddedSqs sqs,
                             @Nullable EmbeddedDynamo dynamo) {
        if (delivery != null) {
            delivery.close();
        }
        context.close();
        if (sqs != null) {
            sqs.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    /** The relay's schedule and the two queues' pollers, as the Lambda schedule and event sources run them in AWS. */
    record Delivery(ScheduledExecutorService relaying, QueuePoller fanOut, QueuePoller deliveries) implements AutoCloseable {
        @Override
        public void close() {
            relaying.shutdownNow();
            fanOut.close();
            deliveries.close();
        }
    }

    /**
     * Starts the stores, then the server; Ctrl-C stops both through the shutdown hooks. DynamoDB is
     * DynamoDB Local in-process, or, with AWS_ENDPOINT_URL set, the service at that endpoint
     * (LocalStack: functions/local/localstack.sh start), where the runner also keeps its secrets.
     * Either way the tables are created, when missing, from template.yaml's declarations.
     */
    static LocalServer serve(LocalSettings settings) {
        settings.printWarnings(System.out);
        EmbeddedDynamo dynamo = settings.awsEndpoint() == null ? EmbeddedDynamo.start(settings) : null;
        EmbeddedSqs embeddedSqs = settings.awsEndpoint() == null
                ? EmbeddedSqs.start(settings.inMemory() ? null : settings.dataDir().resolve("sqs")) : null;
        Map<String, Object> properties = settings.properties();
        if (dynamo != null) {
            properties.put("dynamodb.endpoint", dynamo.endpoint());
            properties.putAll(deliveryQueues(embeddedSqs.endpoint(), EmbeddedSqs.REGION));
        } else {
            properties.put("dynamodb.endpoint", settings.awsEndpoint());
            properties.put("dynamodb.region", settings.awsRegion());
            properties.putAll(deliveryQueues(settings.awsEndpoint(), settings.awsRegion()));
            properties.putAll(LocalStackSecrets.storeAndRead(settings, settings.awsEnvironment()));
        }
        // The context first, the port last: a client polling the port gets its first answer only once every
        // store, the default node and the seeded key exist (never a 404 for a node not registered yet).
        ApplicationContext context = ApplicationContext.builder()
                .environments("local")
                .properties(properties)
                .start();
        // One hook for everything started, delivery included once it is (Ctrl-C during start-up stops the rest).
        AtomicReference<Delivery> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started.get(), context, embeddedSqs, dynamo),
                "local-runner-stop"));
        List<String> created = TemplateTables.createMissing(context.getBean(DynamoDbClient.class), TemplateTables.tables(
                TemplateTables.packedTemplate(), Map.of(
                        "IntegrationTable", context.getRequiredProperty("dynamodb.tables.integration", String.class),
                        "DistributionsTable", context.getRequiredProperty("dynamodb.tables.distributions", String.class))));
        if (dynamo == null) {
            System.out.println("DynamoDB and secrets at " + settings.awsEndpoint() + " (region " + settings.awsRegion() + ")"
                    + (created.isEmpty() ? "" : "; created tables " + created));
        }
        context.getBean(ApiKeyStore.class).ensure(settings.integrationApiKey(), settings.integrationApiSecret(), LocalSettings.TENANT);
        context.getBean(NodeControlService.class).register(settings.nodeId(), settings.operatorHmacSecret());
        context.getBean(NodeRegistry.class).ensureApex(LocalSettings.TENANT, settings.nodeId(), "Default node");
        Delivery delivery = startDelivery(context);
        started.set(delivery);
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        int port = server.getPort();
        System.out.println("Default node " + settings.nodeId() + " registered; API key '" + settings.integrationApiKey()
                + "' seeded for tenant '" + LocalSettings.TENANT + "'");
        System.out.println("Serving on http://localhost:" + port + "  (Ctrl-C stops)");
        System.out.println("  curl http://localhost:" + port + "/api/v1/status");
        System.out.println("  curl -X POST http://localhost:" + port + "/api/v1/stop-api -H \"Authorization: Bearer $(java -jar functions/local/target/local.jar token /api/v1/stop-api)\"");
        System.out.println("  curl -X POST http://localhost:" + port + "/api/v1/integration/auth/authenticate -H 'X-Target-Server: authentication'"
                + " -H 'Content-Type: application/json' -d '{\"api_key\":\"" + settings.integrationApiKey() + "\",\"secret_key\":\"...\"}'");
        String distributionsToken = distributionsToken(settings, settings.workspace());
        System.out.println("Distributions API token (workspace '" + settings.workspace() + "', all three scopes, 30 days):");
        System.out.println("  " + distributionsToken);
        System.out.println("  curl -X POST http://localhost:" + port + "/workspaces/" + settings.workspace() + "/distributions"
                + " -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
                + " -d '{\"name\":\"My Distribution\",\"scope\":\"WORKSPACE\",\"identifier\":\"my-distribution\"}'");
        return new LocalServer(context, dynamo, embeddedSqs, delivery, port);
    }

    /** A distributions token with all three scopes for {@code workspace}, signed with AUTH_JWT_SECRET, 30 days. */
    static String distributionsToken(LocalSettings settings, String workspace) {
        return DistributionTokens.signedWith(settings.authJwtSecret()).issue("local-developer", DistributionTokens.SCOPES,
                List.of(workspace), Duration.ofDays(30));
    }

    /** The two FIFO delivery queues at {@code endpoint}, created as template.yaml creates them in AWS; their URL properties. */
    private static Map<String, Object> deliveryQueues(String endpoint, String region) {
        Map<String, Object> properties = new HashMap<>(Map.of("sqs.endpoint", endpoint, "sqs.region", region));
        try (SqsClient sqs = new SqsClientFactory().sqsClient(endpoint, region)) {
            properties.putAll(DeliveryQueues.create(sqs, "contentplane-local"));
        }
        return properties;
    }

    /**
     * Webhook delivery as in AWS, in-process: the runner relays once a second (the scheduled function's loop)
     * and polls the two queues as the Lambda event sources do, on the embedded SQS engine or, with
     * AWS_ENDPOINT_URL, on LocalStack's.
     */
    private static Delivery startDelivery(ApplicationContext context) {
        ScheduledExecutorService relaying = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            return t;
        });
        SqsClient sqs = context.getBean(SqsClient.class);
        DeliveryQueues urls = context.getBean(DeliveryQueues.class);
        DeliveryWorker worker = context.getBean(DeliveryWorker.class);
        QueuePoller fanOut = new QueuePoller(sqs, urls, worker, DeliveryQueues.Queue.FAN_OUT, 1, 1);
        QueuePoller deliveries = new QueuePoller(sqs, urls, worker, DeliveryQueues.Queue.DELIVERY, 4, 1);
        EventRelay relay = context.getBean(EventRelay.class);
        relaying.scheduleWithFixedDelay(() -> {
            try {
                relay.relay();
            } catch (RuntimeException e) {
                System.err.println("relay step failed: " + e.getClass().getName());
            }
        }, 1, 1, TimeUnit.SECONDS);
        Delivery delivery = new Delivery(relaying, fanOut, deliveries);
        System.out.println("Webhook delivery on SQS at " + context.getRequiredProperty("sqs.endpoint", String.class) + ": "
                + urls.url(DeliveryQueues.Queue.FAN_OUT) + ", " + urls.url(DeliveryQueues.Queue.DELIVERY));
        return delivery;
    }

    /**
     * The deploy step by hand, as the stack's migration function does it on every deploy
     * (DatabaseMigration): applies the migrations to the database at JDBC_URL (JDBC_USER, JDBC_PASSWORD:
     * the master user), registers the default node with its operator secret and, when the functions'
     * role secrets are named (OPERATOR_DATABASE_SECRET_ARN, ...; read with the caller's AWS
     * credentials), creates or updates their roles. Lambdas never migrate on a cold start.
     */
    static void migrate(LocalSettings settings, Map<String, String> env) throws SQLException {
        String url = env.get("JDBC_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("migrate needs JDBC_URL (and JDBC_USER, JDBC_PASSWORD)");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("datasources.default.url", url);
        if (env.get("JDBC_USER") != null) {
            p.put("datasources.default.username", env.get("JDBC_USER"));
        }
        if (env.get("JDBC_PASSWORD") != null) {
            p.put("datasources.default.password", env.get("JDBC_PASSWORD"));
        }
        p.put("crypto.data-key", settings.dataEncryptionKey());
        DatabaseMigration.Outcome outcome = DatabaseMigration.run(p, settings.nodeId(), settings.operatorHmacSecret(),
                DatabaseRoles.logins(env));
        System.out.println("Migrated " + url.replaceAll("password=[^&;]*", "password=***") + " to version "
                + outcome.schemaVersion() + " and registered node " + settings.nodeId()
                + (outcome.roles().isEmpty() ? "" : "; roles " + String.join(", ", outcome.roles())));
    }

    /**
     * Provisions an integration API key in the table named by INTEGRATION_TABLE (with the caller's
     * AWS credentials and region, or DYNAMODB_ENDPOINT). Only the slow salted hash is stored; the
     * secret is read from NEW_API_SECRET so it never shows in the shell history or process list.
     */
    static void createApiKey(String[] args, java.util.function.Function<String, String> env) {
        String secret = env.apply("NEW_API_SECRET");
        String table = env.apply("INTEGRATION_TABLE");
        if (args.length != 3 || secret == null || secret.length() < 16 || table == null || table.isBlank()) {
            throw new IllegalArgumentException("Usage: INTEGRATION_TABLE=... NEW_API_SECRET=<at least 16 characters> "
                    + "java -jar local.jar create-api-key KEY TENANT");
        }
        try (ApplicationContext context = adminContext(table, env)) {
            context.getBean(ApiKeyStore.class).put(args[1], secret, args[2]);
        }
        System.out.println("API key '" + args[1] + "' stored for tenant '" + args[2] + "' in " + table);
    }

    /**
     * Revokes an integration API key in the table named by INTEGRATION_TABLE (as create-api-key
     * reaches it): it no longer authenticates, and its access and refresh tokens are refused from
     * the next request on. Exit status 0 when revoked (or already revoked), 1 for an unknown key.
     */
    static int revokeApiKey(String[] args, java.util.function.Function<String, String> env) {
        String table = env.apply("INTEGRATION_TABLE");
        if (args.length != 2 || table == null || table.isBlank()) {
            throw new IllegalArgumentException("Usage: INTEGRATION_TABLE=... java -jar local.jar revoke-api-key KEY");
        }
        ApiKeyStore.Revocation revocation;
        try (ApplicationContext context = adminContext(table, env)) {
            revocation = context.getBean(ApiKeyStore.class).revoke(args[1]);
        }
        switch (revocation) {
            case REVOKED -> System.out.println("API key '" + args[1] + "' revoked in " + table);
            case ALREADY_REVOKED -> System.out.println("API key '" + args[1] + "' was already revoked in " + table);
            case NOT_FOUND -> System.err.println("No API key '" + args[1] + "' in " + table);
        }
        return revocation == ApiKeyStore.Revocation.NOT_FOUND ? 1 : 0;
    }

    /** A context with the DynamoDB stores only (the key commands' own). */
    private static ApplicationContext adminContext(String table, java.util.function.Function<String, String> env) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dynamodb.tables.integration", table);
        String endpoint = env.apply("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            p.put("dynamodb.endpoint", endpoint);
        }
        // The relational store is not needed here; keep the context off the network for it.
        p.put("datasources.default.url", "jdbc:h2:mem:admin");
        p.put("datasources.default.dialect", "H2");
        return ApplicationContext.builder().environments("admin").properties(p).start();
    }

    /** An operator token for the default node, exactly as Argus's CLI signs it (HS256, iat, exp = iat + 60). */
    static String token(LocalSettings settings, String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || !args[0].startsWith("/")) {
            throw new IllegalArgumentException("Usage: token PATH [JSON_BODY]   e.g. token /api/v1/set-worker '{\"workerId\":1}'");
        }
        JsonMapper json = JsonMapper.createDefault();
        Object body = args.length == 2 ? json.readValue(args[1], Argument.of(Object.class)) : Map.of();
        return cliToken(settings.operatorHmacSecret(), args[0], body);
    }

    /**
     * An events/ file with its authorization header replaced by a fresh token of the kind its path
     * takes, signed with this runner's secrets: an operator token for its path and body (as Argus's CLI
     * makes it), an integration access token of the seeded API key, or a distributions token (all
     * scopes) for the path's workspace. An event without an authorization header is left as it is.
     * An access token carries the key's version ({@code kv}), which the integration function checks
     * against the stored key: it is read from the key's store (INTEGRATION_TABLE, at DYNAMODB_ENDPOINT
     * or AWS_ENDPOINT_URL; sam-local.sh passes its stores'), with the key's secret, as a login does.
     */
    @SuppressWarnings("unchecked")
    static String signEvent(LocalSettings settings, String[] args, java.util.function.Function<String, String> env) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: sign-event FILE");
        }
        JsonMapper json = JsonMapper.createDefault();
        Map<String, Object> event = json.readValue(Files.readAllBytes(Path.of(args[1])), Argument.mapOf(String.class, Object.class));
        Map<String, Object> headers = new LinkedHashMap<>((Map<String, Object>) Objects.requireNonNullElse(event.get("headers"), Map.of()));
        Map<String, Object> multi = new LinkedHashMap<>((Map<String, Object>) Objects.requireNonNullElse(event.get("multiValueHeaders"), Map.of()));
        boolean authorized = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("authorization"))
                || multi.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("authorization"));
        if (!authorized) {
            return new String(json.writeValueAsBytes(event), StandardCharsets.UTF_8);
        }
        String path = (String) event.get("path");
        String authorization;
        if (path.startsWith("/workspaces/")) {
            authorization = "Bearer " + distributionsToken(settings, path.split("/")[2]);
        } else if (path.startsWith("/api/v1/integration/")) {
            authorization = "Bearer " + new AccessTokens(new JwtTokenGenerator(new PlatformSignature(settings.authJwtSecret()), null, null))
                    .issue(storedKey(settings, env)).token();
        } else {
            Object rawBody = event.get("body");
            Object body = rawBody instanceof String s && !s.isBlank() ? json.readValue(s, Argument.of(Object.class)) : Map.of();
            authorization = "bearer " + cliToken(settings.operatorHmacSecret(), path, body);
        }
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
        headers.put("authorization", authorization);
        multi.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
        multi.put("authorization", List.of(authorization));
        event.put("headers", headers);
        event.put("multiValueHeaders", multi);
        return new String(json.writeValueAsBytes(event), StandardCharsets.UTF_8);
    }

    /** The seeded API key as stored (with its version), verified with its secret; a clear error when it cannot be read. */
    private static ApiKey storedKey(LocalSettings settings, java.util.function.Function<String, String> env) {
        String table = env.apply("INTEGRATION_TABLE");
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("An integration access token carries the API key's version (kv), read from the key's"
                    + " store: set INTEGRATION_TABLE (and DYNAMODB_ENDPOINT or AWS_ENDPOINT_URL) to the table the functions use");
        }
        java.util.function.Function<String, String> dynamo = name -> "DYNAMODB_ENDPOINT".equals(name)
                ? firstNonBlank(env.apply("DYNAMODB_ENDPOINT"), env.apply("AWS_ENDPOINT_URL")) : env.apply(name);
        try (ApplicationContext context = adminContext(table, dynamo)) {
            return context.getBean(ApiKeyStore.class).verify(settings.integrationApiKey(), settings.integrationApiSecret())
                    .orElseThrow(() -> new IllegalStateException("API key '" + settings.integrationApiKey() + "' is not in " + table
                            + " with INTEGRATION_API_SECRET's secret, or it is revoked: no access token can be signed for it"));
        }
    }

    @Nullable
    private static String firstNonBlank(@Nullable String a, @Nullable String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /** Signed by Micronaut Security's token generator with the node's secret ({@link OperatorKey}: HS256, no kid). */
    static String cliToken(String secret, String path, Object body) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("reqUrl", path);
        claims.put("reqBody", body);
        claims.put("iat", now);
        claims.put("exp", now + 60);
        return new JwtTokenGenerator(new OperatorKey(secret), null, null).generateToken(claims)
                .orElseThrow(() -> new IllegalStateException("the operator token could not be signed"));
    }
}
