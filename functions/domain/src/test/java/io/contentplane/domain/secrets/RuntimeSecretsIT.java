package io.contentplane.domain.secrets;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.contentplane.domain.security.PlatformSignature;
import io.contentplane.domain.testing.LocalStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The functions' secrets read from LocalStack's Secrets Manager, as template.yaml names them (ARNs only). */
class RuntimeSecretsIT {
    private static final String JWT_KEY = "platform-key-" + "x".repeat(40);
    private static final String DATA_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static SecretsManagerClient secrets;

    @BeforeAll
    static void client() {
        secrets = LocalStack.secretsManager();
    }

    @AfterAll
    static void close() {
        secrets.close();
    }

    @Test
    void everyNamedSecretBecomesItsProperties() {
        Map<String, String> environment = LocalStack.environment(Map.of(
                "DATABASE_SECRET_ARN", create("{\"username\":\"contentplane\",\"password\":\"db-pass\",\"port\":5432}"),
                "OPERATOR_HMAC_SECRET_ARN", create("{\"secret\":\"operator-hmac\"}"),
                "AUTH_JWT_SECRET_ARN", create("{\"secret\":\"" + JWT_KEY + "\"}"),
                "DATA_ENCRYPTION_KEY_SECRET_ARN", create("{\"key\":\"" + DATA_KEY + "\"}")));

        assertEquals(Map.of(
                "datasources.default.username", "contentplane",
                "datasources.default.password", "db-pass",
                "operator.hmac-secret", "operator-hmac",
                "auth.jwt-secret", JWT_KEY,
                "crypto.data-key", DATA_KEY), RuntimeSecrets.load(environment));
    }

    @Test
    void onlyTheNamedSecretsAreRead() {
        assertEquals(Map.of(), RuntimeSecrets.load(Map.of("AWS_REGION", "eu-west-1")), "no ARN, no client, nothing");
        Map<String, String> environment = LocalStack.environment(Map.of(
                "AUTH_JWT_SECRET_ARN", create("{\"secret\":\"" + JWT_KEY + "\"}")));
        assertEquals(Map.of("auth.jwt-secret", JWT_KEY), RuntimeSecrets.load(environment));
    }

    @Test
    void aSecretThatDoesNotExistStopsTheStartWithItsNameAndTheReason() {
        String missing = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:missing-" + UUID.randomUUID();
        Map<String, String> environment = LocalStack.environment(Map.of(
                "AUTH_JWT_SECRET_ARN", create("{\"secret\":\"" + JWT_KEY + "\"}"),
                "DATABASE_SECRET_ARN", missing));

        RuntimeException e = assertThrows(RuntimeSecrets.SecretUnavailableException.class,
                () -> RuntimeSecrets.load(environment));
        assertTrue(e.getMessage().contains("DATABASE_SECRET_ARN") && e.getMessage().contains(missing)
                && e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
        assertFalse(e.getMessage().contains(JWT_KEY), "no secret value in the message");
    }

    @Test
    void aSecretWithoutItsKeyOrNotJsonIsRefused() {
        RuntimeException noKey = assertThrows(RuntimeSecrets.SecretUnavailableException.class,
                () -> RuntimeSecrets.load(LocalStack.environment(Map.of(
                        "OPERATOR_HMAC_SECRET_ARN", create("{\"password\":\"operator-hmac\"}")))));
        assertTrue(noKey.getMessage().contains("OPERATOR_HMAC_SECRET_ARN") && noKey.getMessage().contains("'secret'"),
                noKey.getMessage());
        assertFalse(noKey.getMessage().contains("operator-hmac\""), noKey.getMessage());

        RuntimeException notJson = assertThrows(RuntimeSecrets.SecretUnavailableException.class,
                () -> RuntimeSecrets.load(LocalStack.environment(Map.of(
                        "OPERATOR_HMAC_SECRET_ARN", create("operator-hmac-as-plain-text")))));
        assertTrue(notJson.getMessage().contains("not a JSON object"), notJson.getMessage());
        assertFalse(notJson.getMessage().contains("operator-hmac-as-plain-text"), notJson.getMessage());
    }

    @Test
    void afterARestoreARotatedKeyIsUsedAndTheDataKeyIsKept() throws Exception {
        String jwtArn = create("{\"secret\":\"" + JWT_KEY + "\"}");
        String dataArn = create("{\"key\":\"" + DATA_KEY + "\"}");
        Map<String, String> environment = LocalStack.environment(Map.of(
                "AUTH_JWT_SECRET_ARN", jwtArn, "DATA_ENCRYPTION_KEY_SECRET_ARN", dataArn));
        PropertySource initial = SecretsRefresh.initial(environment);
        assertNotNull(initial);
        try (ApplicationContext context = ApplicationContext.builder().propertySources(initial).start()) {
            PlatformSignature signature = context.getBean(PlatformSignature.class);
            SignedJWT before = signature.sign(new JWTClaimsSet.Builder().subject("s").build());
            assertTrue(signature.verify(SignedJWT.parse(before.serialize())));

            assertEquals(Map.of(), SecretsRefresh.afterRestore(context, environment), "nothing changed yet");

            String rotated = "rotated-key-" + "y".repeat(40);
            secrets.putSecretValue(r -> r.secretId(jwtArn).secretString("{\"secret\":\"" + rotated + "\"}"));
            secrets.putSecretValue(r -> r.secretId(dataArn).secretString("{\"key\":\"" + "B".repeat(43) + "=\"}"));

            assertEquals(Map.of("auth.jwt-secret", rotated), SecretsRefresh.afterRestore(context, environment));
            assertFalse(signature.verify(SignedJWT.parse(before.serialize())), "the old key no longer verifies");
            SignedJWT after = signature.sign(new JWTClaimsSet.Builder().subject("s").build());
            assertTrue(signature.verify(SignedJWT.parse(after.serialize())));
            assertEquals(DATA_KEY, context.getProperty("crypto.data-key", String.class).orElseThrow(),
                    "the data key is never swapped in a running function");
        }
    }

    private static String create(String value) {
        return secrets.createSecret(r -> r.name("contentplane-test-" + UUID.randomUUID()).secretString(value)).arn();
    }
}
