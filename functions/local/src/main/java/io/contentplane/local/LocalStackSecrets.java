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
            environment.put("OPERATOR_HMAC_SECRET_ARN", store(secrets, "operator-hmac", "secret", settings.operatorHmacSecret()));
            environment.put("AUTH_JWT_SECRET_ARN", store(secrets, "auth-jwt", "secret", settings.authJwtSecret()));
            environment.put("DATA_ENCRYPTION_KEY_SECRET_ARN", store(secrets, "data-key", "key", settings.dataEncryptionKey()));
            return RuntimeSecrets.load(environment, secrets);
        }
    }

    private static String store(SecretsManagerClient secrets, String name, String key, String value) {
        String json = "{\"" + key + "\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        try {
            return secrets.createSecret(r -> r.name(PREFIX + name).secretString(json)).arn();
        } catch (ResourceExistsException exists) {
            return secrets.putSecretValue(r -> r.secretId(PREFIX + name).secretString(json)).arn();
        }
    }
}
