package io.contentplane.local;

import io.contentplane.domain.testing.LocalStack;
import io.contentplane.domain.secrets.RuntimeSecrets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code AWS_ENDPOINT_URL=<LocalStack> java -jar local.jar}: the runner keeps its tables and secrets in
 * LocalStack (started by the build around the *IT tests) and serves the README's requests from them.
 */
class LocalRunnerOnLocalStackIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesFromTablesAndSecretsInLocalStack() throws Exception {
        String endpoint = LocalStack.endpoint();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String jwtSecret = "local-stack-platform-key-" + suffix + "-0123456789abcdef";
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true",
                "AWS_ENDPOINT_URL", endpoint, "AWS_REGION", "eu-west-1", "AUTH_JWT_SECRET", jwtSecret));
        LocalSettings settings = LocalSettings.from(env::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            assertEquals(200, get(port, "/api/v1/status", Map.of()).statusCode());
            // the seeded API key is in LocalStack's DynamoDB, the access token signed with the key from its Secrets Manager
            HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/integration/auth/authenticate"))
                    .header("X-Target-Server", "authentication").header("Api-Key", settings.integrationApiKey())
                    .header("Api-Secret", settings.integrationApiSecret()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, tokens.statusCode(), tokens.body());
            String access = tokens.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> node = get(port, "/api/v1/integration/nodes/" + settings.nodeId(),
                    Map.of("X-Target-Server", "integration", "Authorization", "Bearer " + access));
            assertEquals(200, node.statusCode(), node.body());
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/workspaces/my-workspace/distributions"))
                    .header("Authorization", "Bearer " + LocalRunner.distributionsToken(settings, "my-workspace"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"My Distribution\",\"scope\":\"WORKSPACE\",\"identifier\":\"my-distribution\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        try (DynamoDbClient dynamo = TemplateTablesTest.client(endpoint);
             SecretsManagerClient secrets = RuntimeSecrets.client(settings.awsEnvironment())) {
            List<String> names = dynamo.listTables().tableNames();
            // the tables under their default names (INTEGRATION_TABLE, DISTRIBUTIONS_TABLE unset)
            assertTrue(names.containsAll(List.of("contentplane-integration", "contentplane-distributions")), names.toString());
            assertTrue(dynamo.scan(r -> r.tableName("contentplane-distributions")).count() > 0, "the distribution is in LocalStack");
            assertEquals("{\"secret\":\"" + jwtSecret + "\"}",
                    secrets.getSecretValue(r -> r.secretId(LocalStackSecrets.PREFIX + "auth-jwt")).secretString());
        }
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
