package io.contentplane.local;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SQS engine of the embedded stores: ElasticMQ inside the runner's process, on a free loopback port,
 * so that webhooks are delivered without LocalStack (relay, fan-out and delivery queues as in AWS).
 * Its queues live in memory: messages in flight when the runner stops are gone, while the events
 * themselves stay in the outbox (H2) and the deliveries' state in DynamoDB Local.
 */
final class EmbeddedSqs implements AutoCloseable {
    /** Region the SDK signs for; ElasticMQ checks no signature. */
    static final String REGION = "us-east-1";

    private final SQSRestServer server;
    private final String endpoint;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedSqs(SQSRestServer server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    static EmbeddedSqs start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Queue URLs name the address the server really listens on.
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(REGION)
                .start();
        server.waitUntilStarted();
        return new EmbeddedSqs(server, "http://127.0.0.1:" + port);
    }

    String endpoint() {
        return endpoint;
    }

    /** Stops the engine; a second call (a test's close, then the shutdown hook) does nothing. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            server.stopAndWait();
        }
    }
}
