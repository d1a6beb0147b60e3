package io.contentplane.local;

import io.contentplane.domain.secrets.RuntimeSecrets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local runner's secrets when it runs on LocalStack (or any endpoint at AWS_ENDPOINT_URL): its
 * settings are kept in that Secrets Manager, as the stack keeps them in AWS, and read back through
 * {@link RuntimeSecrets} by ARN, exactly as the functions read theirs.
 */
final class LocalStackSecrets {
    static final String PREFIX = "contentplane-local/";

    private LocalStackSecrets() {
    }

    /** Stores (creates or updates) the runner's secrets and answers the properties read back by ARN. */
    static Map<String, Object> storeAndRead(LocalSettings settings, Map<String, String> awsEnvironment) {
        Map<String, String> environment = new LinkedHashMap<>(awsEnvironment);
        try (SecretsManagerClient secrets = RuntimeSecrets.client(awsEnvironment)) {
            environment.putAll(store(settings, secrets));
            return RuntimeSecrets.load(environment, secrets);
        }
    }

    /** Stores the runner's secrets; answers each one's ARN by the variable that names it ({@code *_SECRET_ARN}). */
    static Map<String, String> store(LocalSettings settings, SecretsManagerClient secrets) {
        Map<String, String> arns = new LinkedHashMap<>();
        arns.put("OPERATOR_HMAC_SECRET_ARN", store(secrets, "operator-hmac", Map.of("secret", settings.operatorHmacSecret())));
        arns.put("AUTH_JWT_SECRET_ARN", store(secrets, "auth-jwt", Map.of("secret", settings.authJwtSecret())));
        arns.put("DATA_ENCRYPTION_KEY_SECRET_ARN", store(secrets, "data-key", Map.of("key", settings.dataEncryptionKey())));
        return arns;
    }

    /** Creates or updates the secret {@code PREFIX + name} as a JSON object of these strings; answers its ARN. */
    static String store(SecretsManagerClient secrets, String name, Map<String, String> values) {
        StringBuilder json = new StringBuilder("{");
        values.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append(quoted(key)).append(':').append(quoted(value)));
        return store(secrets, name, json.append('}').toString());
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String store(SecretsManagerClient secrets, String name, String json) {
        try {
            return secrets.createSecret(r -> r.name(PREFIX + name).secretString(json)).arn();
        } catch (ResourceExistsException exists) {
            return secrets.putSecretValue(r -> r.secretId(PREFIX + name).secretString(json)).arn();
        }
    }
}
