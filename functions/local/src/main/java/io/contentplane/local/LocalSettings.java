package io.contentplane.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The local runner's settings: environment variables with development defaults. Every default in
 * use is printed at start with a warning, since none of them is fit for anything but a laptop.
 */
record LocalSettings(
        int port,
        String nodeId,
        String operatorHmacSecret,
        String authJwtSecret,
        String integrationApiKey,
        String integrationApiSecret,
        String dataEncryptionKey,
        Path dataDir,
        boolean inMemory,
        boolean allowInsecureWebhooks,
        String workspace,
        String distributionsApiBaseUrl,
        String awsEndpoint,
        String awsRegion,
        Map<String, String> defaultsUsed) {

    static final String DEFAULT_NODE_ID = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    static final String DEFAULT_OPERATOR_SECRET = "dev-operator-secret-change-me";
    /** The tenant of the seeded API key and of the default node. */
    static final String TENANT = "dev";

    static LocalSettings from(Function<String, String> env) {
        Map<String, String> used = new LinkedHashMap<>();
        Function<String[], String> get = kv -> {
            String v = env.apply(kv[0]);
            if (v == null || v.isBlank()) {
                used.put(kv[0], kv[1]);
                return kv[1];
            }
            return v;
        };
        String port = get.apply(new String[]{"PORT", "3335"});
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, got '" + port + "'");
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + portNumber);
        }
        return new LocalSettings(
                portNumber,
                get.apply(new String[]{"NODE_ID", DEFAULT_NODE_ID}),
                get.apply(new String[]{"OPERATOR_HMAC_SECRET", DEFAULT_OPERATOR_SECRET}),
                get.apply(new String[]{"AUTH_JWT_SECRET", "dev-auth-jwt-secret-change-me-0123456789abcdef"}),
                get.apply(new String[]{"INTEGRATION_API_KEY", "dev-api-key"}),
                get.apply(new String[]{"INTEGRATION_API_SECRET", "dev-api-secret-change-me"}),
                // 32 bytes, base64: "dev-data-key-not-for-production!"
                get.apply(new String[]{"DATA_ENCRYPTION_KEY", "ZGV2LWRhdGEta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="}),
                Path.of(get.apply(new String[]{"DATA_DIR", "./data"})),
                Boolean.parseBoolean(get.apply(new String[]{"IN_MEMORY", "false"}).trim()),
                Boolean.parseBoolean(get.apply(new String[]{"ALLOW_INSECURE_WEBHOOKS", "false"}).trim()),
                get.apply(new String[]{"WORKSPACE", "my-workspace"}),
                // Object URLs in distributions answers point at this server unless told otherwise.
                get.apply(new String[]{"DISTRIBUTIONS_API_BASE_URL", "http://localhost:" + portNumber}),
                // The AWS SDK's standard variable: DynamoDB and secrets at that endpoint (LocalStack) instead of in-process.
                blankToNull(env.apply("AWS_ENDPOINT_URL")),
                firstSet(env.apply("AWS_REGION"), env.apply("AWS_DEFAULT_REGION"), "eu-west-1"),
                used);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        throw new IllegalArgumentException("no value");
    }

    /** The AWS settings the SDK clients of the runner get on LocalStack (any key is accepted there). */
    Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", awsEndpoint, "AWS_REGION", awsRegion);
    }

    /** Micronaut properties for these settings. */
    Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("micronaut.server.port", port);
        p.put("node.id", nodeId);
        p.put("operator.hmac-secret", operatorHmacSecret);
        p.put("auth.jwt-secret", authJwtSecret);
        p.put("crypto.data-key", dataEncryptionKey);
        p.put("webhooks.allow-insecure", allowInsecureWebhooks);
        p.put("distributions.api-base-url", distributionsApiBaseUrl);
        p.put("datasources.default.url", inMemory
                ? "jdbc:h2:mem:contentplane;DB_CLOSE_DELAY=-1"
                : "jdbc:h2:file:" + dataDir.resolve("h2").resolve("contentplane").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        return p;
    }

    void printWarnings(PrintStream out) {
        Map<String, String> secrets = Map.of("OPERATOR_HMAC_SECRET", "", "AUTH_JWT_SECRET", "",
                "INTEGRATION_API_SECRET", "", "DATA_ENCRYPTION_KEY", "");
        defaultsUsed.forEach((name, value) -> out.println("WARNING: " + name + " is not set; using the development default "
                + (secrets.containsKey(name) ? "'" + value + "' (public, never use it outside your machine)" : "'" + value + "'")));
        if (awsEndpoint != null) {
            out.println("Stores: DynamoDB and secrets at " + awsEndpoint + " (AWS_ENDPOINT_URL), H2 "
                    + (inMemory ? "in memory" : "under " + dataDir.toAbsolutePath()));
        } else {
            out.println(inMemory ? "Stores: in memory (IN_MEMORY=true), nothing is kept after exit"
                    : "Stores: H2, DynamoDB Local and the SQS queues under " + dataDir.toAbsolutePath() + " (kept across restarts)");
        }
        if (allowInsecureWebhooks) {
            out.println("WARNING: ALLOW_INSECURE_WEBHOOKS=true: webhooks may use http:// and internal addresses");
        }
    }
}
