package io.contentplane.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code local.jar revoke-api-key KEY} against the running local runner's DynamoDB: the seeded key's
 * access token works, the command revokes the key, and from the next request on the token, its
 * refresh token and a new login are refused (401, Apex shape); an unknown key is exit status 1.
 */
class RevokeApiKeyCommandTest {
    private static final Pattern FIELD = Pattern.compile("\"(access_token|refresh_token)\":\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> post(int port, String path, String target, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Target-Server", target).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError(name + " not in " + json);
    }

    @Test
    void revokingTheSeededKeyEndsItsLoginsAtOnce() throws Exception {
        int port = freePort();
        LocalSettings settings = LocalSettings.from(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true")::get);
        try (LocalRunner.LocalServer server = LocalRunner.serve(settings)) {
            String credentials = "{\"api_key\":\"" + settings.integrationApiKey() + "\",\"secret_key\":\""
                    + settings.integrationApiSecret() + "\"}";
            HttpResponse<String> login = post(port, "/api/v1/integration/auth/authenticate", "authentication", null, credentials);
            assertEquals(200, login.statusCode(), login.body());
            String access = field(login.body(), "access_token");
            String node = "{\"name\":\"n\",\"type\":1}";
            assertEquals(201, post(port, "/api/v1/integration/nodes", "integration", access, node).statusCode());

            Map<String, String> env = Map.of(
                    "INTEGRATION_TABLE", server.context().getRequiredProperty("dynamodb.tables.integration", String.class),
                    "DYNAMODB_ENDPOINT", server.dynamo().endpoint());
            assertEquals(0, LocalRunner.revokeApiKey(new String[]{"revoke-api-key", settings.integrationApiKey()}, env::get));

            HttpResponse<String> refused = post(port, "/api/v1/integration/nodes", "integration", access, node);
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("{\"error\":{\"code\":\"UNAUTHORIZED\""), refused.body());
            HttpResponse<String> refresh = post(port, "/api/v1/integration/auth/refresh", "authentication", null,
                    "{\"refresh_token\":\"" + field(login.body(), "refresh_token") + "\"}");
            assertEquals(401, refresh.statusCode(), refresh.body());
            assertTrue(refresh.body().contains("INVALID_REFRESH_TOKEN"), refresh.body());
            assertEquals(401, post(port, "/api/v1/integration/auth/authenticate", "authentication", null, credentials).statusCode());
            // again: already revoked (0); an unknown key: 1; no table: a usage error
            assertEquals(0, LocalRunner.revokeApiKey(new String[]{"revoke-api-key", settings.integrationApiKey()}, env::get));
            assertEquals(1, LocalRunner.revokeApiKey(new String[]{"revoke-api-key", "no-such-key"}, env::get));
            assertThrows(IllegalArgumentException.class,
                    () -> LocalRunner.revokeApiKey(new String[]{"revoke-api-key", "k"}, Map.<String, String>of()::get));
        }
    }
}
