package io.contentplane.domain.testing;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import io.contentplane.domain.secrets.RuntimeSecrets;

import java.util.HashMap;
import java.util.Map;

/**
 * The LocalStack the build starts around the *IT tests (functions/local/localstack.sh, on the port
 * {@code localstack.test.port}; see the root pom). Its endpoint arrives as the system property
 * {@code localstack.endpoint}; a test run without it fails with the reason instead of skipping.
 */
public final class LocalStack {
    private LocalStack() {
    }

    public static String endpoint() {
        String endpoint = System.getProperty("localstack.endpoint");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("localstack.endpoint is not set: run the *IT tests through Maven"
                    + " (mvn verify starts LocalStack), or start functions/local/localstack.sh and pass"
                    + " -Dlocalstack.endpoint=http://127.0.0.1:4566");
        }
        return endpoint;
    }

    /** The environment a function would get from template.yaml, pointed at LocalStack. */
    public static Map<String, String> environment(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("AWS_ENDPOINT_URL", endpoint());
        environment.put("AWS_REGION", "eu-west-1");
        return environment;
    }

    public static SecretsManagerClient secretsManager() {
        return RuntimeSecrets.client(environment(Map.of()));
    }
}
