package io.contentplane.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published contract on the local runner: GET /openapi.yml is the document micronaut-openapi
 * generated at build time (all four HTTP groups, their error bodies and security schemes), and the
 * Swagger UI page renders it in a real headless browser (Chromium; contract/chromium.sh finds or
 * installs it).
 */
class ContractPageTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String run(List<String> command, long timeoutSeconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), command + " -> " + new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void servesTheGeneratedDocumentAndItsSwaggerUiPageRendersInAHeadlessBrowser(@TempDir Path profile) throws Exception {
        int port = freePort();
        LocalSettings settings = LocalSettings.from(Map.of("PORT", Integer.toString(port), "IN_MEMORY", "true")::get);
        try (LocalRunner.LocalServer ignored = LocalRunner.serve(settings)) {
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.yml")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, document.statusCode());
            assertEquals("application/yaml", document.headers().firstValue("Content-Type").orElse(""));
            String yaml = document.body();
            assertTrue(yaml.startsWith("openapi: 3."), yaml.substring(0, Math.min(200, yaml.length())));
            for (String expected : List.of("/api/v1/set-worker:", "/api/v1/report-usage:", "/api/v1/status:",
                    "/api/v1/integration/nodes/{id}:", "/api/v1/integration/auth/refresh:",
                    "/workspaces/{workspace}/distributions/{id}/routes/{routeId}:",
                    "ArgusOperatorAuth:", "ApexBearer:", "BuddyBearer:", "ArgusError:", "ApexError:", "BuddyErrors:",
                    "objectsInCache:")) {
                assertTrue(yaml.contains(expected), "the document lacks " + expected);
            }
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/swagger-ui/index.html")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            String chromium = run(List.of("bash", "contract/chromium.sh"), 600).trim();
            // The page loads swagger-ui's scripts, fetches /swagger/openapi.yml and renders one block per operation.
            String dom = run(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom",
                    base + "/swagger-ui/index.html"), 120);
            assertTrue(dom.contains("opblock"), "Swagger UI rendered no operation: " + dom.substring(0, Math.min(2000, dom.length())));
            assertTrue(dom.contains("/api/v1/report-usage"), "the rendered page lacks an operation of the document");
            assertTrue(dom.contains("/workspaces/{workspace}/distributions"), "the rendered page lacks the distributions API");
        }
    }
}
