package io.contentplane.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributions function's jar, as deployed, in a fresh JVM whose environment names its secret
 * only by ARN (as template.yaml does): it reads the platform key from LocalStack's Secrets Manager and
 * answers a request signed with that key; named a secret that does not exist, it refuses to start and
 * says which one and why. DynamoDB is LocalStack's too. LocalStack is started by the build around the
 * *IT tests (root pom, localstack.test.port); its endpoint arrives as {@code localstack.endpoint}.
 */
class SecretsFromSecretsManagerIT {
    private static final Path REPO = Path.of("../..");
    private static String endpoint;
    private static SecretsManagerClient secrets;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void clients() {
        endpoint = System.getProperty("localstack.endpoint");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("localstack.endpoint is not set: run through Maven (mvn verify starts LocalStack)");
        }
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        secrets = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).endpointOverride(URI.create(endpoint)).build();
        dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).endpointOverride(URI.create(endpoint)).build();
    }

    @AfterAll
    static void close() {
        secrets.close();
        dynamo.close();
    }

    @Test
    void startsWithItsSecretFromSecretsManagerAndAnswers() throws Exception {
        String table = "contentplane-distributions-" + UUID.randomUUID();
        ColdStartBench.prepareDistributions(dynamo, table);
        // The key the request's token is signed with exists only in Secrets Manager.
        String arn = secrets.createSecret(r -> r.name("contentplane-auth-jwt-" + UUID.randomUUID())
                .secretString("{\"secret\":\"" + ColdStartBench.AUTH_JWT_SECRET + "\"}")).arn();

        Run run = distributions(Map.of("AUTH_JWT_SECRET_ARN", arn, "DISTRIBUTIONS_TABLE", table));

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("status=200"), run.output());
        assertFalse(run.output().contains(ColdStartBench.AUTH_JWT_SECRET), "the secret is never printed");
    }

    @Test
    void refusesToStartWhenItsSecretIsMissing() throws Exception {
        String missing = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:missing-" + UUID.randomUUID();

        Run run = distributions(Map.of("AUTH_JWT_SECRET_ARN", missing, "DISTRIBUTIONS_TABLE", "unused"));

        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("Secret AUTH_JWT_SECRET_ARN (" + missing + ") cannot be read: ResourceNotFoundException"),
                run.output());
        assertFalse(run.output().contains("status="), "no request was answered: " + run.output());
    }

    private record Run(int exit, String output) {
    }

    /** The cold-start probe on the distributions jar with the benchmark's GET event, in a fresh JVM. */
    private static Run distributions(Map<String, String> variables) throws IOException, InterruptedException {
        Path jar = REPO.resolve("functions/distributions/target/distributions.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: the function modules are packaged before this one in mvn verify");
        }
        Path work = Files.createTempDirectory("secrets-it");
        Path event = work.resolve("event.json");
        Files.writeString(event, ColdStartBench.distributionGetEvent(
                REPO.resolve("functions/distributions/events/distributions-get.json")));
        List<Path> probeJars;
        try (Stream<Path> jars = Files.list(REPO.resolve("functions/bench/target/lib"))) {
            probeJars = jars.filter(p -> p.getFileName().toString().startsWith("com.amazonaws.aws-lambda-java-serialization-"))
                    .toList();
        }
        String classpath = Stream.concat(Stream.of(jar,
                        REPO.resolve("functions/bench/target/bench-0.1.0.jar")), probeJars.stream())
                .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ColdStartProbe.class.getName(), "io.contentplane.distributions.DistributionsFunction",
                event.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("JAVA_") || k.equals("AUTH_JWT_SECRET"));
        builder.environment().putAll(variables);
        builder.environment().put("AWS_ENDPOINT_URL", endpoint);
        builder.environment().put("DYNAMODB_ENDPOINT", endpoint);
        builder.environment().put("AWS_REGION", "eu-west-1");
        builder.environment().put("PRELOAD_CLASSES", "false");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the function did not finish in 60 s: " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
