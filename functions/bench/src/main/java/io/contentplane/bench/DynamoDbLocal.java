package io.contentplane.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DynamoDB Local, in memory, in a process of its own (so that it shares no JVM with what is
 * measured), on a free loopback port. Its jars are target/lib plus target/lib/dynamodb-local, its
 * SQLite native library is in target/lib/native (see pom.xml).
 */
final class DynamoDbLocal implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Process process;
    private final String endpoint;
    private final DynamoDbClient client;

    private DynamoDbLocal(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.client = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    static DynamoDbLocal start(String java, Path lib) throws IOException, InterruptedException, ColdStartBench.BenchFailure {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classpath;
        try (Stream<Path> shared = Files.list(lib); Stream<Path> own = Files.list(lib.resolve("dynamodb-local"))) {
            classpath = Stream.concat(shared, own).filter(p -> p.toString().endsWith(".jar")).sorted()
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
        Path log = Files.createTempFile("dynamodb-local", ".log");
        Process process = new ProcessBuilder(java, "-Dsqlite4java.library.path=" + lib.resolve("native"),
                "-cp", classpath, "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                "-inMemory", "-port", Integer.toString(port), "-disableTelemetry")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(process, port, log);
        } catch (ColdStartBench.BenchFailure | IOException | InterruptedException e) {
            process.destroyForcibly().waitFor();
            throw e;
        } finally {
            Files.delete(log);
        }
        return new DynamoDbLocal(process, "http://localhost:" + port);
    }

    private static void awaitListening(Process process, int port, Path log)
            throws IOException, InterruptedException, ColdStartBench.BenchFailure {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new ColdStartBench.BenchFailure("DynamoDB Local exited:\n" + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("localhost", port), 200);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new ColdStartBench.BenchFailure("DynamoDB Local did not listen within " + START_TIMEOUT_MILLIS
                + " ms:\n" + Files.readString(log));
    }

    String endpoint() {
        return endpoint;
    }

    DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
