package io.contentplane.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Warm benchmark (warm.sh): the time of one {@code handleRequest} of a warm function beside its
 * hand-written baseline (BareOperatorHandler, BareStatusHandler) doing the same work on the same
 * kind of store, for set-worker (operator) and status. The difference of a pair is the framework's
 * per-request overhead; issue 6 asks for at most 1 ms at p99.
 * <p>
 * Each benchmark runs in a JVM of its own (one fork, with the JVM flags template.yaml sets) against
 * an embedded PostgreSQL of its own holding every migration and the default node: the database the
 * functions are deployed against, and the cold-start benchmark's. H2 is not used: the function jars
 * do not ship its driver and are deployed with the PostgreSQL dialect, so H2 would measure
 * something that does not deploy.
 * <p>
 * A function jar is loaded as Lambda loads it, alone in a class loader of its own over the platform
 * loader, and configured through system properties, which Micronaut reads as it reads the
 * environment. The baseline runs from this jar's classpath. Both are called the same way (see
 * {@link LoadedHandler}), so reflection costs the same on both sides. Before each iteration the
 * event is made anew, set-worker's with a freshly minted token (tokens live 60 s).
 * <p>
 * {@link #main} runs the benchmarks, with any JMH options given (e.g. {@code -i 10}), and after
 * JMH's table prints p50/p99 per pair, their difference, and each side's drift (see {@link #drift}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:MetaspaceSize=64m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WarmBench {
    /** A function's benchmark and its baseline's, by method name. */
    private record Pair(String name, String function, String baseline) {
    }

    private static final List<Pair> PAIRS = List.of(
            new Pair("operator set-worker", "operatorSetWorker", "bareOperatorSetWorker"),
            new Pair("status", "status", "bareStatus"));

    @Benchmark
    public Object operatorSetWorker(OperatorFunctionSide side) throws ReflectiveOperationException {
        return side.handle();
    }

    @Benchmark
    public Object bareOperatorSetWorker(BareOperatorSide side) throws ReflectiveOperationException {
        return side.handle();
    }

    @Benchmark
    public Object status(StatusFunctionSide side) throws ReflectiveOperationException {
        return side.handle();
    }

    @Benchmark
    public Object bareStatus(BareStatusSide side) throws ReflectiveOperationException {
        return side.handle();
    }

    /**
     * One side of a pair in its fork: a database of its own, the handler on it and the event it
     * answers. The repository root is the working directory (warm.sh changes to it).
     */
    public abstract static class Side {
        private final String target;
        private EmbeddedPostgres database;
        private ColdStartBench.Target sample;
        private LoadedHandler handler;
        private Path eventFile;
        private Object event;

        Side(String target) {
            this.target = target;
        }

        /** The handler of this side, configured for the database at {@code jdbcUrl} (user and password postgres). */
        abstract LoadedHandler start(ColdStartBench.Target sample, String jdbcUrl) throws Exception;

        @Setup(Level.Trial)
        public void startTrial() throws Exception {
            Path repo = Path.of("").toAbsolutePath();
            sample = ColdStartBench.targets(repo).stream()
                    .filter(t -> t.name().equals(target))
                    .findFirst().orElseThrow();
            // Zonky logs each step of PostgreSQL's start at INFO; the handlers' loggers are left alone.
            System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
            database = EmbeddedPostgres.builder().start();
            ColdStartBench.prepareDatabase(database, repo);
            handler = start(sample, "jdbc:postgresql://localhost:" + database.getPort() + "/postgres");
            eventFile = Files.createTempFile("warm-event", ".json");
        }

        @Setup(Level.Iteration)
        public void newEvent() throws Exception {
            sample.event().write(eventFile);
            event = handler.event(Files.readString(eventFile));
        }

        @TearDown(Level.Trial)
        public void stopTrial() throws Exception {
            handler.close();
            database.close();
            Files.delete(eventFile);
        }

        Object handle() throws ReflectiveOperationException {
            return handler.handle(event);
        }
    }

    /** The function's jar in a loader of its own, configured under Micronaut's property names. */
    public abstract static class FunctionSide extends Side {
        FunctionSide(String target) {
            super(target);
        }

        @Override
        LoadedHandler start(ColdStartBench.Target sample, String jdbcUrl) throws Exception {
            configure(Map.of(
                    "datasources.default.url", jdbcUrl,
                    "datasources.default.username", "postgres",
                    "datasources.default.password", "postgres",
                    "datasources.default.dialect", "POSTGRES",
                    "node.id", ColdStartBench.NODE_ID,
                    "operator.hmac-secret", ColdStartBench.OPERATOR_SECRET,
                    "crypto.data-key", ColdStartBench.DATA_KEY));
            URLClassLoader loader = new URLClassLoader(sample.name(), new URL[] {sample.jar().toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            return new LoadedHandler(loader, sample.handler());
        }
    }

    /** The baseline from this classpath, configured under the environment's names (see Baselines.requiredEnv). */
    public abstract static class BareSide extends Side {
        BareSide(String target) {
            super(target);
        }

        @Override
        LoadedHandler start(ColdStartBench.Target sample, String jdbcUrl) throws Exception {
            configure(Map.of(
                    "JDBC_URL", jdbcUrl,
                    "JDBC_USER", "postgres",
                    "JDBC_PASSWORD", "postgres",
                    "NODE_ID", ColdStartBench.NODE_ID,
                    "OPERATOR_HMAC_SECRET", ColdStartBench.OPERATOR_SECRET));
            return new LoadedHandler(WarmBench.class.getClassLoader(), sample.baseline());
        }
    }

    @State(Scope.Benchmark)
    public static class OperatorFunctionSide extends FunctionSide {
        public OperatorFunctionSide() {
            super("operator");
        }
    }

    @State(Scope.Benchmark)
    public static class BareOperatorSide extends BareSide {
        public BareOperatorSide() {
            super("operator");
        }
    }

    @State(Scope.Benchmark)
    public static class StatusFunctionSide extends FunctionSide {
        public StatusFunctionSide() {
            super("status");
        }
    }

    @State(Scope.Benchmark)
    public static class BareStatusSide extends BareSide {
        public BareStatusSide() {
            super("status");
        }
    }

    private static void configure(Map<String, String> properties) {
        properties.forEach(System::setProperty);
    }

    public static void main(String[] args) throws Exception {
        // No include pattern runs every benchmark of this jar's list: WarmBench's.
        Map<String, RunResult> results = new HashMap<>();
        for (RunResult result : new Runner(new CommandLineOptions(args)).run()) {
            String benchmark = result.getParams().getBenchmark();
            results.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
        }
        System.out.println();
        System.out.println("warm handleRequest (ms)   function p50/p99   baseline p50/p99   overhead p50/p99   drift function/baseline");
        Double worst = null;
        for (Pair pair : PAIRS) {
            RunResult functionRun = results.get(pair.function());
            RunResult baselineRun = results.get(pair.baseline());
            if (functionRun == null || baselineRun == null) {
                continue;
            }
            Statistics function = functionRun.getPrimaryResult().getStatistics();
            Statistics baseline = baselineRun.getPrimaryResult().getStatistics();
            double p99 = function.getPercentile(99) - baseline.getPercentile(99);
            worst = worst == null ? p99 : Math.max(worst, p99);
            System.out.printf(Locale.ROOT, "%-24s %8.3f/%-8.3f %8.3f/%-8.3f %8.3f/%-8.3f %+8.3f/%+.3f%n", pair.name(),
                    function.getPercentile(50), function.getPercentile(99),
                    baseline.getPercentile(50), baseline.getPercentile(99),
                    function.getPercentile(50) - baseline.getPercentile(50), p99,
                    drift(functionRun), drift(baselineRun));
        }
        if (worst != null) {
            System.out.printf(Locale.ROOT, "worst warm overhead at p99: %.3f ms (target: at most 1 ms)%n", worst);
        }
    }

    /**
     * The last measured iteration's mean minus the first's (averaged over forks): a handler that
     * gets slower the more requests it has served shows here, and its percentiles then depend on
     * how long the benchmark ran.
     */
    private static double drift(RunResult run) {
        return run.getBenchmarkResults().stream().mapToDouble(fork -> {
            List<IterationResult> iterations = List.copyOf(fork.getIterationResults());
            return iterations.get(iterations.size() - 1).getPrimaryResult().getScore()
                    - iterations.get(0).getPrimaryResult().getScore();
        }).average().orElse(0);
    }
}
