package io.contentplane.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DynamoDB Local inside the runner's process, on a free loopback port, persisting under
 * {@code DATA_DIR/dynamodb} (or in memory). Its SQLite native library ships inside local.jar and
 * is unpacked next to the data before the engine starts.
 */
final class EmbeddedDynamo implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final String endpoint;

    private EmbeddedDynamo(DynamoDBProxyServer server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    static EmbeddedDynamo start(LocalSettings settings) {
        try {
            Path nativeDir = Files.createTempDirectory("contentplane-sqlite4java");
            nativeDir.toFile().deleteOnExit();
            try (InputStream lib = EmbeddedDynamo.class.getResourceAsStream("/native/libsqlite4java-linux-amd64.so")) {
                if (lib != null) {
                    Path target = nativeDir.resolve("libsqlite4java-linux-amd64.so");
                    Files.copy(lib, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                    System.setProperty("sqlite4java.library.path", nativeDir.toString());
                }
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String[] args;
            if (settings.inMemory()) {
                args = new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"};
            } else {
                Path dir = settings.dataDir().resolve("dynamodb");
                Files.createDirectories(dir);
                args = new String[]{"-sharedDb", "-dbPath", dir.toAbsolutePath().toString(),
                        "-port", Integer.toString(port), "-disableTelemetry"};
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
            server.start();
            return new EmbeddedDynamo(server, "http://localhost:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
