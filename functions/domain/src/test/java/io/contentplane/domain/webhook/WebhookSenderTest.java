package io.contentplane.domain.webhook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.integration.WebhookMeta.Authentication;
import io.contentplane.domain.webhook.WebhookSender.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real deliveries over loopback to an in-process HTTP server. */
class WebhookSenderTest {
    private static final String SECRET = WebhookSignature.newSecret();
    private static final String EVENT_ID = "evt_01HXYZ";
    private static final String EVENT_TYPE = "content.published & more";
    private static final String PAYLOAD = "{\"type\":\"content.published\",\"title\":\"Grüße\"}";
    private static final String PASSWORD = "pässwörd-s3cret";
    private static final String TOKEN = "tok_4f9a-secret";
    private static final Authentication BASIC = new Authentication(Authentication.BASIC, "alice", PASSWORD, null);
    private static final Authentication BEARER = new Authentication(Authentication.TOKEN, null, null, TOKEN);
    private static final WebhookTargetGuard INSECURE = new WebhookTargetGuard(true, WebhookTargetGuard.systemResolver());
    private static final InetAddress LOOPBACK = ip("127.0.0.1");

    private record Received(String method, String path, String rawQuery, Headers headers, String body) {
    }

    @FunctionalInterface
    private interface Responder {
        void respond(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Responder responder = exchange -> reply(exchange, 200);
    private ExecutorService handlers;
    private HttpServer server;
    private String host;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        // Handlers off the dispatcher thread, so a sleeping one cannot stall the server or its shutdown.
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            try {
                URI uri = exchange.getRequestURI();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        exchange.getRequestHeaders(), body));
                responder.respond(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        host = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    private static WebhookSender sender(Duration readTimeout) {
        return sender(INSECURE, readTimeout);
    }

    private static WebhookSender sender(WebhookTargetGuard guard, Duration readTimeout) {
        return new WebhookSender(guard, Duration.ofSeconds(2), readTimeout);
    }

    private Result send(int method, String path, Authentication auth) {
        return sender(Duration.ofSeconds(5)).send(new WebhookMeta(host, path, method, auth), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);
    }

    private Received single() {
        assertEquals(1, received.size(), () -> "requests: " + received);
        return received.get(0);
    }

    private static void assertNoSecrets(Result result) {
        for (String secret : List.of(PASSWORD, TOKEN, SECRET)) {
            assertFalse(result.error().contains(secret), result.error());
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void postPutAndPatchDeliverTheSignedPayload(int method) {
        long before = Instant.now().getEpochSecond();
        Result result = send(method, "/hooks/in", null);
        long after = Instant.now().getEpochSecond();

        assertEquals(new Result(true, false, 200, null), result);
        Received request = single();
        assertEquals(WebhookMeta.METHOD_NAMES[method], request.method());
        assertEquals("/hooks/in", request.path());
        assertNull(request.rawQuery());
        assertEquals(PAYLOAD, request.body());
        Headers headers = request.headers();
        assertEquals("application/json", headers.getFirst("Content-Type"));
        assertEquals(EVENT_ID, headers.getFirst("webhook-id"));
        assertEquals(EVENT_ID, headers.getFirst("Idempotency-Key"));
        assertEquals("contentplane-webhooks/1", headers.getFirst("User-Agent"));
        assertNull(headers.getFirst("Authorization"));
        String timestamp = headers.getFirst("webhook-timestamp");
        assertTrue(Long.parseLong(timestamp) >= before && Long.parseLong(timestamp) <= after, timestamp);
        assertTrue(WebhookSignature.verify(SECRET, EVENT_ID, timestamp, request.body(), headers.getFirst("webhook-signature")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1 | /hooks/in          | event_id=evt_01HXYZ&event_type=content.published+%26+more
            5 | /hooks/in          | event_id=evt_01HXYZ&event_type=content.published+%26+more
            1 | /hooks/in?tenant=a | tenant=a&event_id=evt_01HXYZ&event_type=content.published+%26+more
            5 | /hooks/in?tenant=a | tenant=a&event_id=evt_01HXYZ&event_type=content.published+%26+more
            1 | /hooks/in#top      | event_id=evt_01HXYZ&event_type=content.published+%26+more""")
    void getAndDeleteCarryTheEventInTheQueryAndSignAnEmptyBody(int method, String path, String expectedQuery) {
        assertEquals(new Result(true, false, 200, null), send(method, path, null));

        Received request = single();
        assertEquals(WebhookMeta.METHOD_NAMES[method], request.method());
        assertEquals("/hooks/in", request.path());
        assertEquals(expectedQuery, request.rawQuery());
        assertEquals("", request.body());
        Headers headers = request.headers();
        assertNull(headers.getFirst("Content-Type"));
        assertEquals(EVENT_ID, headers.getFirst("Idempotency-Key"));
        assertTrue(WebhookSignature.verify(SECRET, EVENT_ID, headers.getFirst("webhook-timestamp"), "",
                headers.getFirst("webhook-signature")));
    }

    @Test
    void aTrailingSlashOnTheHostIsDropped() {
        Result result = sender(Duration.ofSeconds(5))
                .send(new WebhookMeta(host + "/", "/hooks/in", 2, null), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertTrue(result.delivered());
        assertEquals("/hooks/in", single().path());
    }

    @Test
    void basicAuthenticationIsUtf8UsernameColonPassword() {
        assertTrue(send(2, "/hooks/in", BASIC).delivered());
        // base64 of the UTF-8 bytes of "alice:pässwörd-s3cret"
        assertEquals("Basic YWxpY2U6cMOkc3N3w7ZyZC1zM2NyZXQ=", single().headers().getFirst("Authorization"));
    }

    @Test
    void tokenAuthenticationIsABearerToken() {
        assertTrue(send(1, "/hooks/in", BEARER).delivered());
        assertEquals("Bearer " + TOKEN, single().headers().getFirst("Authorization"));
    }

    @ParameterizedTest
    @CsvSource({
            "200, true, false", "201, true, false", "204, true, false",
            "500, false, true", "503, false, true", "429, false, true", "408, false, true",
            "400, false, false", "404, false, false", "410, false, false"})
    void statusCodesAreClassified(int status, boolean delivered, boolean retryable) {
        responder = exchange -> reply(exchange, status);

        Result result = send(2, "/hooks/in", BASIC);

        assertEquals(delivered, result.delivered());
        assertEquals(retryable, result.retryable());
        assertEquals(status, result.statusCode());
        if (!delivered) {
            assertEquals("HTTP " + status, result.error());
            assertNoSecrets(result);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsAreFinalAndNeverFollowed(int status) {
        responder = exchange -> {
            exchange.getResponseHeaders().add("Location", host + "/redirect-target");
            reply(exchange, status);
        };

        assertEquals(new Result(false, false, status, "HTTP " + status), send(2, "/hooks/in", BEARER));
        assertEquals("/hooks/in", single().path());
    }

    @Test
    void aSlowReceiverTimesOutRetryably() {
        responder = exchange -> {
            Thread.sleep(5_000);
            reply(exchange, 200);
        };
        long start = System.nanoTime();

        Result result = sender(Duration.ofMillis(300))
                .send(new WebhookMeta(host, "/hooks/in", 2, BASIC), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(false, true, null, "timed out"), result);
        assertNoSecrets(result);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000);
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOut() {
        responder = exchange -> {
            exchange.sendResponseHeaders(200, 1_000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            Thread.sleep(5_000);
        };
        long start = System.nanoTime();

        Result result = sender(Duration.ofMillis(300))
                .send(new WebhookMeta(host, "/hooks/in", 2, null), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(false, true, null, "timed out"), result);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000);
    }

    @Test
    void anEndlessResponseBodyIsCutOffNotWaitedFor() {
        responder = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[16 * 1024];
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Writes until the client hangs up (IOException ends the handler) or the test has long failed.
            while (System.nanoTime() < end) {
                out.write(chunk);
            }
        };

        // Without the cap the response would end only at the 2 x 2 s deadline, as "timed out".
        Result result = sender(Duration.ofSeconds(2))
                .send(new WebhookMeta(host, "/hooks/in", 2, null), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(true, false, 200, null), result);
    }

    @Test
    void aClosedPortIsRetryableConnectionRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            port = socket.getLocalPort();
        }

        Result result = sender(Duration.ofSeconds(5)).send(new WebhookMeta("http://127.0.0.1:" + port, "/hooks/in", 2, BEARER),
                SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(false, true, null, "connection refused"), result);
        assertNoSecrets(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "rebind.example"})
    void internalTargetsAreRefusedBeforeAnyConnection(String name) throws IOException {
        // Without allowInsecure only https is accepted; a plain socket shows whether anything connected at all.
        try (ServerSocket socket = new ServerSocket(0, 10, LOOPBACK)) {
            WebhookTargetGuard strict = new WebhookTargetGuard(false, n -> new InetAddress[]{LOOPBACK});
            String target = "https://" + name + ":" + socket.getLocalPort();

            Result result = sender(strict, Duration.ofSeconds(5))
                    .send(new WebhookMeta(target, "/hooks/in", 2, BASIC), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

            assertEquals(new Result(false, false, null, "webhook host resolves to an internal address"), result);
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, socket::accept);
        }
    }

    @Test
    void anUnresolvableHostIsRetryable() {
        WebhookTargetGuard noDns = new WebhookTargetGuard(false, n -> {
            throw new UnknownHostException(n);
        });

        Result result = sender(noDns, Duration.ofSeconds(5))
                .send(new WebhookMeta("https://hooks.example", "/in", 2, null), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(false, true, null, "host did not resolve"), result);
    }

    @Test
    void aPathCannotChangeTheHost() {
        // The guard approves the public name; appended as is, "@127.0.0.1:port" would make it user-info and
        // send the request to the loopback server instead.
        WebhookTargetGuard publicDns = new WebhookTargetGuard(true, n -> new InetAddress[]{ip("93.184.215.14")});
        String path = "@127.0.0.1:" + server.getAddress().getPort() + "/hooks/in";

        Result result = sender(publicDns, Duration.ofSeconds(5))
                .send(new WebhookMeta("http://hooks.example", path, 2, null), SECRET, EVENT_ID, EVENT_TYPE, PAYLOAD);

        assertEquals(new Result(false, false, null, "invalid webhook URL or credentials"), result);
        assertEquals(List.of(), received);
    }

    @Test
    void anInvalidCredentialIsFinalAndNotEchoed() {
        String token = TOKEN + "\r\nX-Injected: 1";

        Result result = send(2, "/hooks/in", new Authentication(Authentication.TOKEN, null, null, token));

        assertEquals(new Result(false, false, null, "invalid webhook URL or credentials"), result);
        assertNoSecrets(result);
        assertEquals(List.of(), received);
    }

    @Test
    void anUnknownMethodIsFinal() {
        assertEquals(new Result(false, false, null, "unsupported webhook method"), send(6, "/hooks/in", null));
        assertEquals(List.of(), received);
    }

    @Test
    void anUnknownAuthenticationTypeIsFinalRatherThanSentUnauthenticated() {
        Result result = send(2, "/hooks/in", new Authentication(3, null, null, TOKEN));

        assertEquals(new Result(false, false, null, "unsupported webhook authentication type"), result);
        assertEquals(List.of(), received);
    }

    @Test
    void anInterruptIsRetryableAndTheFlagKept() {
        Thread.currentThread().interrupt();

        Result result = send(2, "/hooks/in", null);

        assertTrue(Thread.interrupted(), "interrupt flag restored");
        assertEquals(new Result(false, true, null, "interrupted"), result);
    }
}
