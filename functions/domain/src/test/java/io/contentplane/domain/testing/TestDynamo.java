package io.contentplane.domain.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DynamoDB Local, in-process, started once per test JVM and reached over HTTP like the real
 * service. Each caller gets its own table name, so tests never see each other's items.
 */
public final class TestDynamo {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDBProxyServer server;
    private static String endpoint;

    private TestDynamo() {
    }

    /**
     * DynamoDB Local in this JVM, or LocalStack when the build runs the store tests a second time
     * against it (failsafe's stores-on-localstack execution sets {@code localstack.endpoint}).
     */
    public static synchronized String endpoint() {
        String localStack = System.getProperty("localstack.endpoint");
        if (localStack != null && !localStack.isBlank()) {
            return localStack;
        }
        if (server == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                socket.close();
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                endpoint = "http://localhost:" + port;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // the JVM is exiting
                    }
                }));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            }
        }
        return endpoint;
    }

    /** Properties pointing a context at DynamoDB Local with a fresh integration table name. */
    public static Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("dynamodb.endpoint", endpoint());
        p.put("dynamodb.region", "eu-west-1");
        p.put("dynamodb.tables.integration", "integration-" + TABLES.incrementAndGet() + "-" + System.nanoTime());
        return p;
    }
}
