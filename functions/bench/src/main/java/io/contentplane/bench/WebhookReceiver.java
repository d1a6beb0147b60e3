package io.contentplane.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery benchmark's webhook: a receiver on loopback that answers 204 to every request and
 * counts them, so the benchmark can check that each run (function and baseline) called it once.
 */
final class WebhookReceiver {
    private static final AtomicInteger CALLS = new AtomicInteger();

    private WebhookReceiver() {
    }

    static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                CALLS.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int calls() {
        return CALLS.get();
    }
}
