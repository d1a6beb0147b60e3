package io.contentplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cold-start benchmark of the function jars (see run.sh). For each function it launches fresh JVMs
 * running {@link ColdStartProbe}, alternately with the handler template.yaml deploys and with a
 * hand-written baseline doing the same work, against one PostgreSQL server and one DynamoDB Local,
 * each in a process of its own. It prints min/median milliseconds from JVM launch to handler ready
 * and to first response, the medians and their ratio without the time the runtime's library spent
 * reading the event and writing the answer, and last the worst ratio of a function's median first
 * response to its baseline's.
 * <p>
 * Options: {@code --runs N} (5), {@code --repo DIR} (.), {@code --jvm-flags "..."} (the flags
 * template.yaml sets in JAVA_TOOL_OPTIONS), {@code --java PATH} (the java running this),
 * {@code --cds} (each side runs on a dynamic class-data archive of its own, dumped by one unmeasured
 * training run), {@code --write-preload-lists} (measures nothing: one run per function, preloading
 * off, writes the classes it loaded as the function's preload list, see ClassPreloader),
 * {@code --only NAME,...} (just these functions, e.g. {@code --only status}).
 */
public final class ColdStartBench {
    static final String NODE_ID = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    /** The delivery function's distributor (prepareDistributor). */
    static final String DISTRIBUTOR_ID = "c10fc080-7f4f-4f6f-8b1d-2f1c0e9a7b31";
    static final String OPERATOR_SECRET = "bench-operator-secret";
    /** A fixed, public test key (32 bytes, base64): the functions refuse to start without one. */
    static final String DATA_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    /** The integration and distributions APIs' token key (template.yaml gives both the same): at least 32 bytes, public like the others. */
    static final String AUTH_JWT_SECRET = "bench-auth-jwt-secret-0123456789abcdef";
    private static final String TENANT = "bench";
    private static final String API_KEY = "bench-api-key";
    /** The seeded key's version (its creation time), which access tokens carry and every request checks. */
    private static final String API_KEY_VERSION = "2026-11-01T00:00:00Z";
    private static final String INTEGRATION_TABLE = "contentplane-integration";
    static final String DISTRIBUTIONS_TABLE = "contentplane-distributions";
    /** The workspace and distribution of functions/distributions/events/distributions-get.json. */
    static final String DISTRIBUTION_WORKSPACE = "my-workspace";
    static final String DISTRIBUTION_ID = "rm1P93jG";
    private static final List<String> DISTRIBUTION_SCOPES =
            List.of("DISTRIBUTION_INFO", "DISTRIBUTION_ADD", "DISTRIBUTION_MANAGE");
    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final String SET_WORKER_PATH = "/api/v1/set-worker";
    /**
     * The worker id each set-worker run sets: a new one every run, so that every run of either side changes the
     * node (the conditional UPDATE changes a row and its outbox INSERT follows) instead of finding it unchanged.
     */
    private static final AtomicLong WORKER_IDS = new AtomicLong(1000);
    private static final Pattern PROBE_LINE =
            Pattern.compile("^PROBE ready=(\\d+) done=(\\d+) status=(\\d+) classes=(\\d+) serialization=(\\d+)$",
                    Pattern.MULTILINE);
    private static final Pattern BODY_LINE = Pattern.compile("^BODY (.*)$", Pattern.MULTILINE);
    /** Where each function's jar carries the classes its cold start loads (see ClassPreloader). */
    static final String PRELOAD_LIST = "src/main/resources/META-INF/contentplane/preload-classes.txt";
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.+\\.sql");
    private static final Pattern RESOURCE = Pattern.compile("^  [A-Za-z0-9]+:\\s*$");
    /** {@code NAME: 'value'} or {@code NAME: value}, not an intrinsic function such as !Sub. */
    private static final Pattern LITERAL_VARIABLE = Pattern.compile("^([A-Z][A-Z0-9_]*):\\s*(?:'([^']*)'|([^!'\\s][^\\s#]*))\\s*(?:#.*)?$");

    // target/lib names its jars groupId.artifactId-version.jar (pom.xml); the baselines get only
    // what they use: these, plus their store's client.
    private static final List<String> BASELINE_JARS =
            List.of("com.fasterxml.jackson.core.", "com.amazonaws.aws-lambda-java-", "joda-time.");
    private static final List<String> JDBC_JARS = List.of("org.postgresql.", "org.checkerframework.");
    // The SDK logs through slf4j; the integration jar ships slf4j-simple, so the baseline does too.
    private static final List<String> DYNAMODB_JARS = List.of("software.amazon.", "org.reactivestreams.", "org.slf4j.");
    /** The probe reads the event as the Lambda Java runtime does, with aws-lambda-java-serialization. */
    private static final String PROBE_JAR = "com.amazonaws.aws-lambda-java-serialization-";

    private ColdStartBench() {
    }

    record Options(int runs, Path repo, List<String> jvmFlags, String java, boolean cds, boolean writePreloadLists,
                   List<String> only) {
    }

    /** Writes the event file of one run (a fresh token each time for the operator and integration). */
    @FunctionalInterface
    interface EventWriter {
        void write(Path file) throws IOException;
    }

    /**
     * A function, its baseline, the jars of target/lib its baseline's store client needs, and
     * whether both must answer the same body (a run whose answers differ fails the benchmark).
     */
    record Target(String name, Path jar, String handler, Map<String, String> templateEnv, String baseline,
                  List<String> storeJars, EventWriter event, boolean sameBody) {
        Target withEvent(EventWriter writer) {
            return new Target(name, jar, handler, templateEnv, baseline, storeJars, writer, sameBody);
        }
    }

    /** One side of a target: how its JVMs are launched beside the common flags. */
    record Side(String name, String classpath, String handler, List<String> flags) {
    }

    /** Milliseconds from JVM launch to handler constructed and to response returned; classes loaded by then; the body answered. */
    record Sample(long readyMs, long responseMs, long classes, long serializationMs, String body) {
        /** First response without the runtime's reading of the event and writing of the answer. */
        long handlerMs() {
            return responseMs - serializationMs;
        }

    }

    /** A run that did not answer 200, or the benchmark cannot start; the message says why. */
    static final class BenchFailure extends Exception {
        BenchFailure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        // Zonky, the postgres server and the SDK log every step at INFO through slf4j-simple.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try {
            run(parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ColdStartBench [--runs N] [--repo DIR] [--jvm-flags \"...\"] [--java PATH] [--cds] [--write-preload-lists] [--only NAME,...]");
            System.exit(2);
        } catch (BenchFailure | IOException | SQLException | InterruptedException e) {
            System.err.println("cold-start benchmark failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        int runs = 5;
        Path repo = Path.of(".");
        String flags = null;
        String java = thisJava();
        boolean cds = false;
        boolean writePreloadLists = false;
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cds")) {
                cds = true;
                continue;
            }
            if (args[i].equals("--write-preload-lists")) {
                writePreloadLists = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String value = args[++i];
            switch (args[i - 1]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--repo" -> repo = Path.of(value);
                case "--jvm-flags" -> flags = value;
                case "--java" -> java = value;
                case "--only" -> only = Arrays.stream(value.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        repo = repo.toAbsolutePath().normalize();
        if (flags == null) {
            flags = templateJvmFlags(repo);
        }
        List<String> jvmFlags = Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
        return new Options(runs, repo, jvmFlags, java, cds, writePreloadLists, only);
    }

    /** The JVM flags template.yaml gives every function (JAVA_TOOL_OPTIONS in its Globals). */
    static String templateJvmFlags(Path repo) {
        try {
            for (String line : Files.readAllLines(repo.resolve("template.yaml"))) {
                String trimmed = line.trim();
                if (trimmed.startsWith("JAVA_TOOL_OPTIONS:")) {
                    return trimmed.substring("JAVA_TOOL_OPTIONS:".length()).trim();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + repo.resolve("template.yaml") + ": " + e.getMessage());
        }
        throw new IllegalArgumentException("template.yaml sets no JAVA_TOOL_OPTIONS; give --jvm-flags");
    }

    private static String thisJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs the benchmark (or writes the preload lists); returns the worst ratio (0 when writing lists). */
    static double run(Options options) throws BenchFailure, IOException, SQLException, InterruptedException {
        Path repo = options.repo();
        Path benchJar = repo.resolve("functions/bench/target/bench-0.1.0.jar");
        Path lib = repo.resolve("functions/bench/target/lib");
        List<Target> targets = targets(repo).stream()
                .filter(target -> options.only().isEmpty() || options.only().contains(target.name())).toList();
        if (targets.isEmpty()) {
            throw new BenchFailure("--only " + options.only() + " names no function; the functions are "
                    + targets(repo).stream().map(Target::name).toList());
        }
        for (Path required : Stream.concat(Stream.of(benchJar, lib, lib.resolve("dynamodb-local"), lib.resolve("native")),
                targets.stream().map(Target::jar)).toList()) {
            if (!Files.exists(required)) {
                throw new BenchFailure(required + " is missing; build first: mvn -B -q -DskipTests package");
            }
        }
        List<Path> libJars;
        try (Stream<Path> jars = Files.list(lib)) {
            libJars = jars.filter(p -> name(p).endsWith(".jar")).sorted().toList();
        }

        if (!options.writePreloadLists()) {
            System.out.printf(Locale.ROOT, "cold start: %d runs each, java %s, flags %s, CDS %s%n",
                    options.runs(), options.java(), String.join(" ", options.jvmFlags()), options.cds() ? "on" : "off");
        }
        double worst = 0;
        Path work = Files.createTempDirectory("cold-start");
        HttpServer webhook = WebhookReceiver.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             DynamoDbLocal dynamo = DynamoDbLocal.start(thisJava(), lib)) {
            prepareDatabase(postgres, repo);
            prepareTable(dynamo.client());
            prepareDistributions(dynamo.client(), DISTRIBUTIONS_TABLE);
            String webhookHost = "http://127.0.0.1:" + webhook.getAddress().getPort();
            prepareDistributor(dynamo.client(), webhookHost);
            Path deliveryEvent = repo.resolve("functions/dispatcher/events/sqs-delivery.json");
            targets = targets.stream().map(t -> !t.name().equals("delivery") ? t
                    : t.withEvent(file -> Files.writeString(file, deliveryEvent(deliveryEvent, dynamo.client())))).toList();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JDBC_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
            env.put("JDBC_USER", "postgres");
            env.put("JDBC_PASSWORD", "postgres");
            env.put("JDBC_DIALECT", "POSTGRES");
            env.put("NODE_ID", NODE_ID);
            env.put("OPERATOR_HMAC_SECRET", OPERATOR_SECRET);
            env.put("DATA_ENCRYPTION_KEY", DATA_KEY);
            // Micronaut reads DYNAMODB_ENDPOINT as dynamodb.endpoint; a 200 proves it reached DynamoDB Local.
            env.put("DYNAMODB_ENDPOINT", dynamo.endpoint());
            env.put("INTEGRATION_TABLE", INTEGRATION_TABLE);
            env.put("DISTRIBUTIONS_TABLE", DISTRIBUTIONS_TABLE);
            env.put("AUTH_JWT_SECRET", AUTH_JWT_SECRET);
            env.put("AWS_REGION", "eu-west-1");
            // All runs share one API key: the default 50 a minute would end a longer benchmark in 429s.
            env.put("INTEGRATION_RATE_LIMIT_PER_MINUTE", "1000000");
            // The delivery function's webhook is the benchmark's receiver on loopback, over plain HTTP: only
            // this lets it through the SSRF guard (template.yaml says 'false'; no other function reads it).
            env.put("ALLOW_INSECURE_WEBHOOKS", "true");
            Path event = work.resolve("event.json");
            for (Target target : targets) {
                // The function also gets what template.yaml sets for it; the baseline needs none of it.
                Map<String, String> functionEnv = new LinkedHashMap<>(target.templateEnv());
                functionEnv.putAll(env);
                Side function = new Side("function", classpath(Stream.concat(Stream.of(target.jar(), benchJar),
                        select(libJars, List.of(PROBE_JAR)).stream())), target.handler(), List.of());
                Side baseline = new Side("baseline", classpath(Stream.concat(Stream.of(benchJar),
                        select(libJars, concat(BASELINE_JARS, target.storeJars())).stream())), target.baseline(), List.of());
                if (options.writePreloadLists()) {
                    if (!target.name().equals("delivery")) { // not a RestApiFunction: no ClassPreloader
                        writePreloadList(options, functionEnv, target, function, work);
                    }
                    continue;
                }
                if (options.cds()) {
                    function = withArchive(options, functionEnv, target, function, work);
                    baseline = withArchive(options, env, target, baseline, work);
                }
                Map<String, String> fromTemplate = new LinkedHashMap<>(target.templateEnv());
                fromTemplate.keySet().removeAll(env.keySet());
                if (!fromTemplate.isEmpty()) {
                    System.out.printf(Locale.ROOT, "  %s gets from template.yaml: %s%n", target.name(), fromTemplate);
                }
                List<Sample> functionSamples = new ArrayList<>();
                List<Sample> baselineSamples = new ArrayList<>();
                // Alternate function and baseline so that drift of the machine hits both alike.
                Effect effect = effect(target, postgres);
                for (int i = 1; i <= options.runs(); i++) {
                    target.event().write(event);
                    long before = effect == null ? 0 : effect.counter().count();
                    functionSamples.add(probe(options, functionEnv, function, event));
                    target.event().write(event);
                    long afterFunction = effect == null ? 0 : effect.counter().count();
                    baselineSamples.add(probe(options, env, baseline, event));
                    if (effect != null) {
                        long afterBaseline = effect.counter().count();
                        if (afterFunction != before + 1 || afterBaseline != afterFunction + 1) {
                            throw new BenchFailure(target.name() + ": each side must " + effect.what() + " once per run; "
                                    + effect.counted() + " " + before + " -> " + afterFunction + " -> " + afterBaseline);
                        }
                    }
                    if (target.sameBody()) {
                        requireSameBody(target, last(functionSamples), last(baselineSamples));
                    }
                    System.out.printf(Locale.ROOT,
                            "  %s run %d/%d: function %d/%d ms, baseline %d/%d ms (ready/first response)%n",
                            target.name(), i, options.runs(), last(functionSamples).readyMs(),
                            last(functionSamples).responseMs(), last(baselineSamples).readyMs(),
                            last(baselineSamples).responseMs());
                }
                worst = Math.max(worst, report(target, functionSamples, baselineSamples));
            }
        } finally {
            webhook.stop(0);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        if (!options.writePreloadLists()) {
            System.out.printf(Locale.ROOT, "worst cold-start ratio: %.2f%n", worst);
        }
        return worst;
    }

    /** Counts what one run of a side must leave behind: one more of them per run. */
    @FunctionalInterface
    interface Counter {
        long count() throws BenchFailure;
    }

    /** What each side's run of a target must do exactly once, and how it is counted. */
    record Effect(String what, String counted, Counter counter) {
    }

    /**
     * The effect a target's runs are checked for, or null: the delivery function calls the webhook, the operator
     * changes the worker and records its event.
     */
    private static Effect effect(Target target, EmbeddedPostgres postgres) {
        return switch (target.name()) {
            case "delivery" -> new Effect("call the webhook", "calls", WebhookReceiver::calls);
            case "operator" -> new Effect("change the worker and record its event", "node.worker.changed events",
                    () -> workerEvents(postgres));
            default -> null;
        };
    }

    /** How many node.worker.changed events the outbox holds (each set-worker run of either side adds one). */
    private static long workerEvents(EmbeddedPostgres postgres) throws BenchFailure {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
             Statement count = db.createStatement();
             ResultSet rows = count.executeQuery(
                     "SELECT count(*) FROM event_outbox WHERE event_type = 'node.worker.changed'")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new BenchFailure("cannot count the outbox's events: " + e.getMessage());
        }
    }

    /**
     * The order the preloader loads a function's classes in: Micronaut's bean definitions first, then
     * every other class in the order the cold start loaded it. The context creates all its bean
     * definitions in one burst early in its start: preloaded in load order, the preloader reached
     * them just ahead of the main thread, which then waited for it class by class (some 60 ms on the
     * status function). Loaded first, they are ready when the context asks for them, while the main
     * thread loads what it needs before that itself. Measured on status, three A/B series of 5 runs:
     * worst ratio 1.93-2.05 -> 1.78-1.86.
     */
    static List<String> preloadOrder(List<String> loadOrder) {
        List<String> definitions = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String name : loadOrder) {
            (name.endsWith("$Definition") || name.endsWith("$Definition$Exec") ? definitions : others).add(name);
        }
        definitions.addAll(others);
        return definitions;
    }

    /**
     * One run of the function with preloading off that logs every class it loads, written as the
     * function's preload list ({@link #preloadOrder}): the classes its jar and the JDK's modules
     * supplied (those in the JDK's class-data archive load fast already), without hidden classes
     * (lambdas), which cannot be loaded by name.
     */
    private static void writePreloadList(Options options, Map<String, String> env, Target target, Side function, Path work)
            throws BenchFailure, IOException, InterruptedException {
        Path log = work.resolve(target.name() + "-classes.log");
        Path event = work.resolve("event.json");
        target.event().write(event);
        Map<String, String> noPreloading = new LinkedHashMap<>(env);
        noPreloading.put("PRELOAD_CLASSES", "false");
        probe(options, noPreloading, new Side(function.name(), function.classpath(), function.handler(),
                List.of("-Xlog:class+load=info:file=" + log + ":none")), event);
        String jarSource = "source: " + target.jar().toUri().toURL();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = line.substring(0, space);
            String source = line.substring(space + 1);
            boolean fromJarOrJdk = source.equals(jarSource) || source.startsWith("source: jrt:/");
            // Hidden classes (lambdas the JVM spins, named "...$$Lambda/0x...") cannot be loaded by name; the
            // lambda classes DesugarCallSites writes into the jar ("...$$Lambda$N") can, and are listed.
            if (fromJarOrJdk && !name.contains("/0x") && !name.startsWith("java.lang.invoke.LambdaForm$")) {
                classes.add(name);
            }
        }
        if (classes.isEmpty()) {
            throw new BenchFailure("the class-load log of " + target.name() + " named no class from " + target.jar());
        }
        Path list = options.repo().resolve("functions").resolve(target.name()).resolve(PRELOAD_LIST);
        Files.createDirectories(list.getParent());
        Files.write(list, preloadOrder(classes));
        System.out.printf(Locale.ROOT, "%-13s %d classes -> %s%n", target.name(), classes.size(), options.repo().relativize(list));
    }

    /**
     * The side with a dynamic class-data archive of its own: one training run (not measured) dumps
     * the classes it loaded, and the measured runs map them. An archive holds one classpath's classes
     * only, hence one per side.
     */
    private static Side withArchive(Options options, Map<String, String> env, Target target, Side side, Path work)
            throws BenchFailure, IOException, InterruptedException {
        Path archive = work.resolve(target.name() + "-" + side.name() + ".jsa");
        Path event = work.resolve("training-event.json");
        target.event().write(event);
        probe(options, env, new Side(side.name(), side.classpath(), side.handler(),
                List.of("-XX:ArchiveClassesAtExit=" + archive)), event);
        if (!Files.isRegularFile(archive)) {
            throw new BenchFailure("the training run of " + side.handler() + " dumped no archive " + archive);
        }
        // -Xshare:on: a run that cannot map its archive fails rather than quietly measuring without it.
        return new Side(side.name(), side.classpath(), side.handler(),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
    }

    static List<Target> targets(Path repo) throws IOException, BenchFailure {
        List<String> template = Files.readAllLines(repo.resolve("template.yaml"));
        Path operatorEvent = repo.resolve("functions/operator/events/set-worker.json");
        Path statusEvent = repo.resolve("functions/status/events/status.json");
        Path integrationEvent = repo.resolve("functions/integration/events/nodes-get.json");
        Path distributionEvent = repo.resolve("functions/distributions/events/distributions-get.json");
        return List.of(
                target(repo, template, "operator", BareOperatorHandler.class, JDBC_JARS,
                        file -> Files.writeString(file, setWorkerEvent(operatorEvent)), false),
                target(repo, template, "status", BareStatusHandler.class, JDBC_JARS,
                        file -> Files.copy(statusEvent, file, StandardCopyOption.REPLACE_EXISTING), false),
                target(repo, template, "integration", BareIntegrationHandler.class, DYNAMODB_JARS,
                        file -> Files.writeString(file, nodeGetEvent(integrationEvent)), false),
                target(repo, template, "distributions", BareDistributionsHandler.class, DYNAMODB_JARS,
                        file -> Files.writeString(file, distributionGetEvent(distributionEvent)), true),
                // an SQS event of one delivery message; its delivery is seeded per run once the stores run
                target(repo, template, "delivery", "dispatcher", "io.contentplane.dispatcher.DeliveryQueueFunction",
                        BareDeliveryHandler.class, DYNAMODB_JARS, file -> {
                            throw new IllegalStateException("the delivery event needs the running DynamoDB Local");
                        }, true));
    }

    /**
     * The function's jar, the handler template.yaml deploys from it and the literal environment
     * variables the template gives that function (such as JDBC_MIN_IDLE; values made with !Ref or
     * !Sub are AWS resources the benchmark replaces with its own): what runs on Lambda is measured.
     */
    private static Target target(Path repo, List<String> template, String name, Class<?> baseline,
                                 List<String> storeJars, EventWriter event, boolean sameBody) throws BenchFailure {
        return target(repo, template, name, name, null, baseline, storeJars, event, sameBody);
    }

    /** The function of {@code module}'s jar whose Handler is {@code wantedHandler} (null: the jar's first function). */
    private static Target target(Path repo, List<String> template, String name, String module, String wantedHandler,
                                 Class<?> baseline, List<String> storeJars, EventWriter event, boolean sameBody)
            throws BenchFailure {
        String codeUri = "functions/" + module + "/target/" + module + ".jar";
        for (int i = 0; i < template.size(); i++) {
            if (template.get(i).trim().equals("CodeUri: " + codeUri)) {
                String handler = null;
                Map<String, String> env = new LinkedHashMap<>();
                int variablesIndent = -1;
                // The resource's properties: until the next resource (a line indented two spaces).
                for (int j = i + 1; j < template.size() && !RESOURCE.matcher(template.get(j)).find(); j++) {
                    String raw = template.get(j);
                    String line = raw.trim();
                    int indent = raw.length() - raw.stripLeading().length();
                    if (line.startsWith("Handler:")) {
                        handler = line.substring("Handler:".length()).trim();
                    } else if (line.equals("Variables:")) {
                        variablesIndent = indent;
                    } else if (variablesIndent >= 0 && !line.isEmpty() && !line.startsWith("#")) {
                        Matcher variable = LITERAL_VARIABLE.matcher(line);
                        if (indent <= variablesIndent) {
                            variablesIndent = -1;
                        } else if (variable.matches()) {
                            env.put(variable.group(1), variable.group(2) != null ? variable.group(2) : variable.group(3));
                        }
                    }
                }
                if (handler != null && (wantedHandler == null || wantedHandler.equals(handler))) {
                    return new Target(name, repo.resolve(codeUri), handler, env, baseline.getName(), storeJars, event, sameBody);
                }
            }
        }
        throw new BenchFailure("template.yaml has no function with CodeUri " + codeUri + " and Handler "
                + (wantedHandler == null ? "" : wantedHandler));
    }

    /** The sample set-worker event with body {@code {"workerId": N}}, N new each time, and a token minted now. */
    private static String setWorkerEvent(Path template) throws IOException {
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(template.toFile());
        String body = "{\"workerId\": " + WORKER_IDS.incrementAndGet() + "}";
        event.put("body", body);
        String authorization = "bearer " + operatorToken(SET_WORKER_PATH, Baselines.JSON.readTree(body),
                OPERATOR_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond());
        event.with("headers").put("authorization", authorization);
        event.with("multiValueHeaders").putArray("authorization").add(authorization);
        return event.toString();
    }

    /** The sample node read of the default node, with an access token minted now. */
    private static String nodeGetEvent(Path template) throws IOException {
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(template.toFile());
        String authorization = "Bearer " + accessToken(API_KEY, TENANT, API_KEY_VERSION,
                AUTH_JWT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond());
        event.with("headers").put("Authorization", authorization);
        event.with("multiValueHeaders").putArray("Authorization").add(authorization);
        return event.toString();
    }

    /** The sample read of the seeded distribution, with a token of every distributions scope minted now. */
    static String distributionGetEvent(Path template) throws IOException {
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(template.toFile());
        String authorization = "Bearer " + distributionsToken("bench-user", DISTRIBUTION_SCOPES,
                List.of(DISTRIBUTION_WORKSPACE), AUTH_JWT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond());
        event.with("headers").put("Authorization", authorization);
        event.with("multiValueHeaders").putArray("Authorization").add(authorization);
        return event.toString();
    }

    /** A distributions API token as DistributionTokens issues it: HS256, audience distributions, valid one hour. */
    static String distributionsToken(String subject, List<String> scopes, List<String> workspaces, byte[] secret,
                                     long nowSeconds) {
        ObjectNode claims = Baselines.JSON.createObjectNode()
                .put("sub", subject)
                .put("aud", BareDistributionsHandler.AUDIENCE)
                .put("scope", String.join(" ", scopes));
        workspaces.forEach(claims.putArray("workspaces")::add);
        claims.put("iat", nowSeconds).put("exp", nowSeconds + 3600);
        return sign(claims, secret);
    }

    /** An operator JWT as Argus clients make it: HS256 over {@code reqUrl}, {@code reqBody}, valid 60 s. */
    static String operatorToken(String reqUrl, JsonNode reqBody, byte[] secret, long nowSeconds) {
        ObjectNode claims = Baselines.JSON.createObjectNode().put("reqUrl", reqUrl);
        claims.set("reqBody", reqBody);
        claims.put("iat", nowSeconds).put("exp", nowSeconds + 60);
        return sign(claims, secret);
    }

    /** An integration access token as the auth endpoint issues it: HS256, valid one hour. */
    static String accessToken(String keyId, String tenant, String keyVersion, byte[] secret, long nowSeconds) {
        ObjectNode claims = Baselines.JSON.createObjectNode()
                .put("iss", BareIntegrationHandler.ISSUER)
                .put("aud", BareIntegrationHandler.AUDIENCE)
                .put("sub", keyId)
                .put("tenant", tenant)
                .put("kv", keyVersion)
                .put("iat", nowSeconds)
                .put("exp", nowSeconds + 3600);
        return sign(claims, secret);
    }

    private static String sign(ObjectNode claims, byte[] secret) {
        ObjectNode header = Baselines.JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = Baselines.hmacSha256(secret, input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + base64.encodeToString(signature);
    }

    /**
     * The schema from every one of the domain's migrations, in version order, and the default node's
     * rows, as registration makes them.
     */
    static void prepareDatabase(EmbeddedPostgres postgres, Path repo) throws IOException, SQLException {
        List<Path> migrations;
        try (Stream<Path> files = Files.list(repo.resolve("functions/domain/src/main/resources/db/migration"))) {
            migrations = files.filter(f -> MIGRATION.matcher(name(f)).matches())
                    .sorted(Comparator.comparingLong(ColdStartBench::migrationVersion)).toList();
        }
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            try (Statement ddl = db.createStatement()) {
                for (Path migration : migrations) {
                    String sql = Files.readAllLines(migration).stream()
                            .filter(line -> !line.trim().startsWith("--"))
                            .collect(Collectors.joining("\n"));
                    for (String statement : sql.split(";")) {
                        if (!statement.isBlank()) {
                            ddl.execute(statement);
                        }
                    }
                }
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

    private static long migrationVersion(Path migration) {
        Matcher version = MIGRATION.matcher(name(migration));
        if (!version.matches()) {
            throw new IllegalArgumentException(migration + " is not a migration");
        }
        return Long.parseLong(version.group(1));
    }

    /**
     * The integration table as IntegrationTable creates it on DynamoDB Local, the default node as an
     * Apex item, written as NodeRegistry writes it, and the API key the access token speaks for, as
     * ApiKeyStore writes it.
     */
    private static void prepareTable(DynamoDbClient dynamo) {
        createSingleTable(dynamo, INTEGRATION_TABLE);
        dynamo.updateTimeToLive(ttl -> ttl.tableName(INTEGRATION_TABLE)
                .timeToLiveSpecification(spec -> spec.attributeName("expires_at").enabled(true)));
        String now = Instant.now().toString();
        Map<String, AttributeValue> node = new HashMap<>();
        node.put("pk", AttributeValue.fromS("NODE#" + NODE_ID));
        node.put("sk", AttributeValue.fromS("NODE"));
        node.put("id", AttributeValue.fromS(NODE_ID));
        node.put("tenant_id", AttributeValue.fromS(TENANT));
        node.put("name", AttributeValue.fromS("Default node"));
        node.put("type", AttributeValue.fromN("1"));
        node.put("path", AttributeValue.fromS("1"));
        node.put("int_id", AttributeValue.fromN("1"));
        node.put("created_at", AttributeValue.fromS(now));
        node.put("updated_at", AttributeValue.fromS(now));
        node.put("version", AttributeValue.fromN("1"));
        dynamo.putItem(put -> put.tableName(INTEGRATION_TABLE).item(node));
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("pk", AttributeValue.fromS("APIKEY#" + API_KEY));
        key.put("sk", AttributeValue.fromS("APIKEY"));
        key.put("tenant_id", AttributeValue.fromS(TENANT));
        key.put("secret_hash", AttributeValue.fromS("not-used-by-the-sample-request"));
        key.put("created_at", AttributeValue.fromS(API_KEY_VERSION));
        dynamo.putItem(put -> put.tableName(INTEGRATION_TABLE).item(key));
    }

    /**
     * The delivery function's distributor on the default node, as DistributorStore writes it: a POST
     * webhook to {@code webhookHost} and a signing secret encrypted with the data key, bound to the
     * distributor's id.
     */
    private static void prepareDistributor(DynamoDbClient dynamo, String webhookHost) {
        String now = Instant.now().toString();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("DISTRIBUTOR#" + DISTRIBUTOR_ID));
        item.put("sk", AttributeValue.fromS("DISTRIBUTOR"));
        item.put("gsi1pk", AttributeValue.fromS("NODE_DISTRIBUTORS#" + NODE_ID));
        item.put("gsi1sk", AttributeValue.fromS(now + "#" + DISTRIBUTOR_ID));
        item.put("id", AttributeValue.fromS(DISTRIBUTOR_ID));
        item.put("tenant_id", AttributeValue.fromS(TENANT));
        item.put("node_id", AttributeValue.fromS(NODE_ID));
        item.put("created_at", AttributeValue.fromS(now));
        item.put("updated_at", AttributeValue.fromS(now));
        item.put("version", AttributeValue.fromN("1"));
        byte[] secret = new byte[24];
        new java.security.SecureRandom().nextBytes(secret);
        item.put("signing_secret", AttributeValue.fromS(BareDeliveryHandler.encrypt(Base64.getDecoder().decode(DATA_KEY),
                "whsec_" + Base64.getEncoder().encodeToString(secret), "distributor:" + DISTRIBUTOR_ID + ":signing")));
        item.put("meta_host", AttributeValue.fromS(webhookHost));
        item.put("meta_path", AttributeValue.fromS("/hook"));
        item.put("meta_method", AttributeValue.fromN("2"));
        dynamo.putItem(put -> put.tableName(INTEGRATION_TABLE).item(item));
    }

    /**
     * A fresh pending delivery of a node.worker.changed event to the distributor (its event entry and
     * delivery item, as a fan-out step writes them), and the sample SQS event of
     * functions/dispatcher/events/sqs-delivery.json carrying its message.
     */
    static String deliveryEvent(Path template, DynamoDbClient dynamo) throws IOException {
        String eventId = "evt_" + java.util.UUID.randomUUID().toString().replace("-", "");
        String occurred = Instant.now().toString();
        String partition = "DISTRIBUTOR#" + DISTRIBUTOR_ID;
        ObjectNode payload = Baselines.JSON.createObjectNode().put("id", eventId).put("type", "node.worker.changed")
                .put("node_id", NODE_ID).put("occurred_at", occurred);
        payload.putObject("data").put("worker_id", 7);
        dynamo.putItem(put -> put.tableName(INTEGRATION_TABLE).item(Map.of(
                "pk", AttributeValue.fromS(partition), "sk", AttributeValue.fromS("EVENT#" + eventId),
                "distributor_id", AttributeValue.fromS(DISTRIBUTOR_ID), "event_id", AttributeValue.fromS(eventId),
                "occurred_at", AttributeValue.fromS(occurred))));
        Map<String, AttributeValue> delivery = new HashMap<>();
        delivery.put("pk", AttributeValue.fromS(partition));
        delivery.put("sk", AttributeValue.fromS("DELIVERY#" + occurred + "#" + eventId));
        delivery.put("distributor_id", AttributeValue.fromS(DISTRIBUTOR_ID));
        delivery.put("event_id", AttributeValue.fromS(eventId));
        delivery.put("event_type", AttributeValue.fromS("node.worker.changed"));
        delivery.put("node_id", AttributeValue.fromS(NODE_ID));
        delivery.put("payload", AttributeValue.fromS(payload.toString()));
        delivery.put("occurred_at", AttributeValue.fromS(occurred));
        delivery.put("state", AttributeValue.fromS("PENDING"));
        delivery.put("attempts", AttributeValue.fromN("0"));
        delivery.put("next_attempt_at", AttributeValue.fromS(occurred));
        dynamo.putItem(put -> put.tableName(INTEGRATION_TABLE).item(delivery));
        ObjectNode event = (ObjectNode) Baselines.JSON.readTree(template.toFile());
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        record.put("messageId", java.util.UUID.randomUUID().toString());
        record.put("body", Baselines.JSON.createObjectNode().put("distributorId", DISTRIBUTOR_ID).put("eventId", eventId).toString());
        ((ObjectNode) record.get("attributes")).put("MessageGroupId", DISTRIBUTOR_ID)
                .put("MessageDeduplicationId", DISTRIBUTOR_ID + ":" + eventId);
        return event.toString();
    }

    /** A table of the shape all of ours share (SingleTable): pk/sk, and index gsi1 on gsi1pk/gsi1sk projecting all. */
    private static void createSingleTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(table -> table.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("pk"), attribute("sk"), attribute("gsi1pk"), attribute("gsi1sk"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("gsi1")
                        .keySchema(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL))
                        .build()));
    }

    /**
     * The distributions table as DistributionsTable creates it, holding the distribution of the
     * sample event with the three routes of seed 003 (an external target, a tunnel, geo targets)
     * and the uniqueness claims, every item as DistributionStore and RouteStore write it.
     */
    static void prepareDistributions(DynamoDbClient dynamo, String table) {
        createSingleTable(dynamo, table);
        String ws = DISTRIBUTION_WORKSPACE;
        String partition = "DIST#" + ws + "#" + DISTRIBUTION_ID;
        Instant created = Instant.parse("2026-11-23T12:00:00.123456Z");
        List<Map<String, AttributeValue>> items = new ArrayList<>();

        Map<String, AttributeValue> distribution = new HashMap<>();
        distribution.put("pk", AttributeValue.fromS(partition));
        distribution.put("sk", AttributeValue.fromS("DISTRIBUTION"));
        distribution.put("gsi1pk", AttributeValue.fromS("WS#" + ws));
        distribution.put("gsi1sk", AttributeValue.fromS(String.format(Locale.ROOT, "%019d#%s",
                created.getEpochSecond() * 1_000_000L + created.getNano() / 1_000, DISTRIBUTION_ID)));
        distribution.put("id", AttributeValue.fromS(DISTRIBUTION_ID));
        distribution.put("workspace", AttributeValue.fromS(ws));
        distribution.put("created_at", AttributeValue.fromS(created.toString()));
        distribution.put("name", AttributeValue.fromS("My Distribution"));
        distribution.put("identifier", AttributeValue.fromS("my-distribution"));
        distribution.put("disabled", AttributeValue.fromBool(false));
        distribution.put("scope", AttributeValue.fromS("WORKSPACE"));
        distribution.put("permissions", AttributeValue.fromM(Map.of(
                "others", AttributeValue.fromS("DEFAULT"),
                "users", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                        "id", AttributeValue.fromN("1"), "access_level", AttributeValue.fromS("MANAGE"))))),
                "groups", AttributeValue.fromL(List.of()))));
        distribution.put("updated_at", AttributeValue.fromS(created.plusSeconds(60).toString()));
        distribution.put("version", AttributeValue.fromN("2"));
        items.add(distribution);
        items.add(claim("IDENT#" + ws + "#WORKSPACE##my-distribution", null));

        // Created in this order, one second apart; stored under sort keys that are not that order.
        String[][] routes = {
                {"xK2mP9qR", "testing3", ""}, {"Ab3dE5fG", "tunnel", ""}, {"m7Np0QrS", "asdf", "asd"}};
        List<List<Map<String, AttributeValue>>> targets = List.of(
                List.of(external("Default", "kordos.com")),
                List.of(Map.of("region", AttributeValue.fromS("Default"), "type", AttributeValue.fromS("TUNNEL"),
                        "tunnel_id", AttributeValue.fromS("bartshoot"), "tunnel_tunnel_id", AttributeValue.fromS("test"))),
                List.of(external("COUNTRY-PL", "testpl.com"), external("CONTINENT-Europe", "testeu.com"),
                        external("Default", "test.com")));
        for (int i = 0; i < routes.length; i++) {
            Instant routeInstant = created.plusSeconds(i + 1L);
            String routeCreated = routeInstant.toString();
            Map<String, AttributeValue> route = new HashMap<>();
            route.put("pk", AttributeValue.fromS(partition));
            route.put("sk", AttributeValue.fromS("ROUTE#" + routes[i][0]));
            route.put("gsi1pk", AttributeValue.fromS("ROUTES#" + ws + "#" + DISTRIBUTION_ID));
            route.put("gsi1sk", AttributeValue.fromS(String.format(Locale.ROOT, "%019d#%s",
                    routeInstant.getEpochSecond() * 1_000_000L + routeInstant.getNano() / 1_000, routes[i][0])));
            route.put("id", AttributeValue.fromS(routes[i][0]));
            route.put("distribution_id", AttributeValue.fromS(DISTRIBUTION_ID));
            route.put("workspace", AttributeValue.fromS(ws));
            route.put("type", AttributeValue.fromS("PROXY"));
            route.put("subdomain", AttributeValue.fromS(routes[i][1]));
            route.put("domain", AttributeValue.fromS("buddy.works"));
            route.put("path", AttributeValue.fromS(routes[i][2]));
            route.put("targets", AttributeValue.fromL(targets.get(i).stream().map(AttributeValue::fromM).toList()));
            route.put("created_at", AttributeValue.fromS(routeCreated));
            route.put("updated_at", AttributeValue.fromS(routeCreated));
            route.put("version", AttributeValue.fromN("1"));
            items.add(route);
            items.add(claim("HOST#" + ws + "#" + routes[i][1] + ".buddy.works#" + routes[i][2], routes[i][0]));
        }
        // the three route creations, counted beside them (a distribution's delete checks the count)
        items.add(Map.of("pk", AttributeValue.fromS(partition), "sk", AttributeValue.fromS("COUNT#ROUTE_CHANGES"),
                "counter_value", AttributeValue.fromN("3")));
        for (Map<String, AttributeValue> item : items) {
            dynamo.putItem(put -> put.tableName(table).item(item));
        }
    }

    private static Map<String, AttributeValue> external(String region, String url) {
        return Map.of("region", AttributeValue.fromS(region), "type", AttributeValue.fromS("EXTERNAL"),
                "external_url", AttributeValue.fromS(url));
    }

    /** A uniqueness claim of the seeded distribution (and of one of its routes). */
    private static Map<String, AttributeValue> claim(String pk, String routeId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS("UNIQUE"));
        item.put("distribution_id", AttributeValue.fromS(DISTRIBUTION_ID));
        if (routeId != null) {
            item.put("route_id", AttributeValue.fromS(routeId));
        }
        return item;
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** One fresh JVM answering one event; anything but a 200 fails the benchmark. */
    private static Sample probe(Options options, Map<String, String> env, Side side, Path event)
            throws BenchFailure, IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(options.java());
        command.addAll(options.jvmFlags());
        command.addAll(side.flags());
        command.addAll(List.of("-cp", side.classpath(), ColdStartProbe.class.getName(), side.handler(), event.toString()));
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
            throw new BenchFailure(side.handler() + " did not answer within " + RUN_TIMEOUT_SECONDS + " s:\n" + output.join());
        }
        String text = output.join();
        Matcher probe = PROBE_LINE.matcher(text);
        if (!probe.find() || !probe.group(3).equals("200")) {
            throw new BenchFailure(side.handler() + " did not answer 200 (exit " + process.exitValue() + "):\n" + text);
        }
        Matcher body = BODY_LINE.matcher(text);
        return new Sample(Long.parseLong(probe.group(1)) - launch, Long.parseLong(probe.group(2)) - launch,
                Long.parseLong(probe.group(4)), Long.parseLong(probe.group(5)),
                body.find(probe.end()) ? body.group(1) : null);
    }

    /** The function and its baseline answered the same JSON, or the baseline did not do the function's work. */
    private static void requireSameBody(Target target, Sample function, Sample baseline) throws BenchFailure, IOException {
        if (function.body() == null || baseline.body() == null
                || !Baselines.JSON.readTree(function.body()).equals(Baselines.JSON.readTree(baseline.body()))) {
            throw new BenchFailure(target.name() + ": the baseline's answer differs from the function's:\n  function "
                    + function.body() + "\n  baseline " + baseline.body());
        }
    }

    /** Prints the target's two lines and returns its ratio of median first responses. */
    private static double report(Target target, List<Sample> function, List<Sample> baseline) throws IOException {
        double ratio = median(function, Sample::responseMs) / median(baseline, Sample::responseMs);
        System.out.printf(Locale.ROOT, "%-13s jar %4.1f MB  %s%n", target.name(),
                Files.size(target.jar()) / 1_000_000.0, summary(function));
        System.out.printf(Locale.ROOT, "%-13s baseline     %s   ratio %.2f%n", target.name(), summary(baseline), ratio);
        // The same runs without the time the runtime's library spent on the event and the answer
        // (alike on both sides): the ratio of the handlers' own work.
        System.out.printf(Locale.ROOT, "%-13s without the runtime's serialization (median %.0f / %.0f ms): %.0f / %.0f ms, ratio %.2f%n",
                target.name(), median(function, Sample::serializationMs), median(baseline, Sample::serializationMs),
                median(function, Sample::handlerMs), median(baseline, Sample::handlerMs),
                median(function, Sample::handlerMs) / median(baseline, Sample::handlerMs));
        return ratio;
    }

    private static String summary(List<Sample> samples) {
        return String.format(Locale.ROOT, "ready min/median/max %d/%.0f/%d ms  first response min/median/max %d/%.0f/%d ms  classes %.0f",
                min(samples, Sample::readyMs), median(samples, Sample::readyMs), max(samples, Sample::readyMs),
                min(samples, Sample::responseMs), median(samples, Sample::responseMs), max(samples, Sample::responseMs),
                median(samples, Sample::classes));
    }

    private static long max(List<Sample> samples, ToLongFunction<Sample> metric) {
        return samples.stream().mapToLong(metric).max().orElseThrow();
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

    /** The jars whose names start with one of the prefixes. */
    private static List<Path> select(List<Path> jars, List<String> prefixes) {
        return jars.stream().filter(jar -> prefixes.stream().anyMatch(name(jar)::startsWith)).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static String classpath(Stream<Path> jars) {
        return jars.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
