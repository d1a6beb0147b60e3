package io.contentplane.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark measures what template.yaml deploys: its handlers and the literal settings it gives them. */
class ColdStartBenchTest {
    private static final Path REPO = Path.of("../..");

    @Test
    void readsEachFunctionsHandlerAndLiteralVariablesFromTheTemplate() throws Exception {
        List<ColdStartBench.Target> targets = ColdStartBench.targets(REPO);

        assertEquals(List.of("operator", "status", "integration", "distributions", "delivery"),
                targets.stream().map(ColdStartBench.Target::name).toList());
        assertEquals(List.of("io.contentplane.operator.OperatorFunction", "io.contentplane.status.StatusFunction",
                "io.contentplane.integration.IntegrationFunction", "io.contentplane.distributions.DistributionsFunction",
                // the second function of the dispatcher's jar, found by its Handler (the first is the relay)
                "io.contentplane.dispatcher.DeliveryQueueFunction"),
                targets.stream().map(ColdStartBench.Target::handler).toList());
        assertEquals(List.of(BareOperatorHandler.class.getName(), BareStatusHandler.class.getName(),
                BareIntegrationHandler.class.getName(), BareDistributionsHandler.class.getName(),
                BareDeliveryHandler.class.getName()),
                targets.stream().map(ColdStartBench.Target::baseline).toList());
        // Secrets and resources (!Sub, !Ref) are the benchmark's own; literal settings are taken as deployed.
        assertEquals(Map.of("JDBC_DIALECT", "POSTGRES", "JDBC_MIN_IDLE", "1"), targets.get(0).templateEnv());
        assertEquals(Map.of("JDBC_DIALECT", "POSTGRES", "JDBC_MIN_IDLE", "1"), targets.get(1).templateEnv());
        assertEquals(Map.of("JDBC_DIALECT", "POSTGRES", "INTEGRATION_RATE_LIMIT_PER_MINUTE", "50",
                "ALLOW_INSECURE_WEBHOOKS", "false"), targets.get(2).templateEnv());
        // Every variable of the distributions function is a secret or a resource (!Sub, !Ref).
        assertEquals(Map.of(), targets.get(3).templateEnv());
        assertEquals(REPO.resolve("functions/dispatcher/target/dispatcher.jar"), targets.get(4).jar());
        // The delivery function's default data source is off: it is measured without the pool it never uses.
        assertEquals(Map.of("DATASOURCES_DEFAULT_ENABLED", "false", "ALLOW_INSECURE_WEBHOOKS", "false",
                "DELIVERY_INVOCATION_TIMEOUT", "60s", "WEBHOOKS_CONNECT_TIMEOUT", "3s", "WEBHOOKS_READ_TIMEOUT", "10s"),
                targets.get(4).templateEnv());
    }

    @Test
    void runsTheProbesWithTheJvmFlagsTheTemplateSets() throws Exception {
        String template = java.nio.file.Files.readString(REPO.resolve("template.yaml"));
        assertTrue(template.contains("JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1 "
                + "-XX:MetaspaceSize=64m\n"));

        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:MetaspaceSize=64m"),
                ColdStartBench.parse(new String[] {"--repo", REPO.toString()}).jvmFlags());
        assertEquals(List.of("-Xint"),
                ColdStartBench.parse(new String[] {"--repo", REPO.toString(), "--jvm-flags", "-Xint"}).jvmFlags());
    }

    @Test
    void onlyNarrowsTheRunToTheNamedFunctions() {
        assertEquals(List.of(), ColdStartBench.parse(new String[] {"--repo", REPO.toString()}).only());
        assertEquals(List.of("status", "operator"),
                ColdStartBench.parse(new String[] {"--repo", REPO.toString(), "--only", "status, operator"}).only());
    }

    @Test
    void onlyWithAnUnknownFunctionFailsBeforeAnyProbeRuns() {
        ColdStartBench.Options options = ColdStartBench.parse(new String[] {"--repo", REPO.toString(), "--only", "nosuch"});
        ColdStartBench.BenchFailure failure = org.junit.jupiter.api.Assertions.assertThrows(
                ColdStartBench.BenchFailure.class, () -> ColdStartBench.run(options));
        assertTrue(failure.getMessage().contains("names no function"), failure.getMessage());
    }

    @Test
    void thePreloadListPutsBeanDefinitionsFirstAndKeepsLoadOrderOtherwise() {
        List<String> loadOrder = List.of(
                "io.micronaut.context.DefaultApplicationContext",
                "io.example.$Controller$Definition",
                "io.example.Controller",
                "io.example.$Controller$Definition$Exec",
                "io.example.$Repository$Intercepted$Definition",
                "io.example.DefinitionHelper");

        assertEquals(List.of(
                "io.example.$Controller$Definition",
                "io.example.$Controller$Definition$Exec",
                "io.example.$Repository$Intercepted$Definition",
                "io.micronaut.context.DefaultApplicationContext",
                "io.example.Controller",
                "io.example.DefinitionHelper"), ColdStartBench.preloadOrder(loadOrder));
    }
}
