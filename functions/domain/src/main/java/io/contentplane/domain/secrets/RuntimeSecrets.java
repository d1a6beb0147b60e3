package io.contentplane.domain.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions' secrets, read from AWS Secrets Manager at run time: template.yaml gives each function
 * only the ARNs of the secrets it needs ({@code *_SECRET_ARN} variables), never their values, and the
 * function reads them while it initialises (before the SnapStart snapshot) and again after every
 * restore ({@link SecretsRefresh}). Each secret is a JSON object; {@link #BINDINGS} says which of its
 * keys becomes which configuration property. A secret that is named but cannot be read, or lacks a
 * key, stops the function from starting with a message that names the variable, the ARN and the
 * reason (never a value).
 * <p>
 * Why not micronaut-aws-secretsmanager: it finds secrets with {@code ListSecrets} by name prefix (a
 * permission that cannot be limited to given secrets) and logs and skips a secret it cannot read,
 * so a function would start without it. The SDK client here does one {@code GetSecretValue} per ARN.
 */
public final class RuntimeSecrets {

    /**
     * One secret: the environment variable that holds its ARN, which JSON key sets which property, and
     * whether a new value is taken after a restore ({@link SecretsRefresh}).
     */
    public record Binding(String arnVariable, Map<String, String> propertyByKey, boolean refreshable) {
    }

    public static final List<Binding> BINDINGS = List.of(
            new Binding("DATABASE_SECRET_ARN", Map.of(
                    "username", "datasources.default.username",
                    "password", "datasources.default.password"), true),
            new Binding("OPERATOR_HMAC_SECRET_ARN", Map.of("secret", "operator.hmac-secret"), true),
            new Binding("AUTH_JWT_SECRET_ARN", Map.of("secret", "auth.jwt-secret"), true),
            // Never swapped in a running function: data encrypted with the old key would become unreadable.
            new Binding("DATA_ENCRYPTION_KEY_SECRET_ARN", Map.of("key", "crypto.data-key"), false));

    private RuntimeSecrets() {
    }

    /** Thrown when a named secret cannot be used; the message names no secret value. */
    public static final class SecretUnavailableException extends IllegalStateException {
        public SecretUnavailableException(String message) {
            super(message);
        }
    }

    /** True when the environment names at least one secret. */
    public static boolean named(Map<String, String> environment) {
        return BINDINGS.stream().anyMatch(b -> !blank(environment.get(b.arnVariable())));
    }

    /**
     * The configuration properties of every secret the environment names, read with one client built
     * from the environment (region, credentials, and {@code AWS_ENDPOINT_URL} for LocalStack or any
     * other endpoint); empty, without building a client, when it names none.
     */
    public static Map<String, Object> load(Map<String, String> environment) {
        if (!named(environment)) {
            return Map.of();
        }
        try (SecretsManagerClient client = client(environment)) {
            return load(environment, client);
        }
    }

    /** As {@link #load(Map)}, with a given client. */
    public static Map<String, Object> load(Map<String, String> environment, SecretsManagerClient client) {
        Map<String, Object> properties = new HashMap<>();
        for (Binding binding : BINDINGS) {
            String arn = environment.get(binding.arnVariable());
            if (blank(arn)) {
                continue;
            }
            Map<String, String> values = read(client, binding.arnVariable(), arn.trim());
            binding.propertyByKey().forEach((key, property) -> {
                String value = values.get(key);
                if (blank(value)) {
                    throw new SecretUnavailableException("Secret " + binding.arnVariable() + " (" + arn
                            + ") has no non-empty string key '" + key + "' (needed for " + property + ")");
                }
                properties.put(property, value);
            });
        }
        return properties;
    }

    /** The Secrets Manager client of this environment: URL-connection HTTP, credentials from the environment. */
    public static SecretsManagerClient client(Map<String, String> environment) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .region(Region.of(environment.getOrDefault("AWS_REGION", "eu-west-1")));
        String endpoint = environment.getOrDefault("AWS_ENDPOINT_URL_SECRETS_MANAGER", environment.get("AWS_ENDPOINT_URL"));
        if (!blank(endpoint)) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        if (blank(environment.get("AWS_ACCESS_KEY_ID")) && !blank(endpoint)) {
            // An emulator (LocalStack) accepts any key; AWS itself always gets real credentials.
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        } else {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder.build();
    }

    /**
     * The string members of the secret {@code arn}, named by the variable {@code variable}; a secret that
     * cannot be read or is not a JSON object is a {@link SecretUnavailableException} naming both.
     */
    public static Map<String, String> read(SecretsManagerClient client, String variable, String arn) {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(r -> r.secretId(arn));
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
            throw new SecretUnavailableException("Secret " + variable + " (" + arn + ") cannot be read: " + code);
        } catch (SdkException e) {
            throw new SecretUnavailableException("Secret " + variable + " (" + arn + ") cannot be read: "
                    + e.getClass().getSimpleName() + " (is Secrets Manager reachable?)");
        }
        String text = response.secretString();
        if (text == null) {
            throw new SecretUnavailableException("Secret " + variable + " (" + arn + ") has no string value");
        }
        try {
            return flatObject(text);
        } catch (IOException e) {
            throw new SecretUnavailableException("Secret " + variable + " (" + arn + ") is not a JSON object of strings");
        }
    }

    /** The string members of a JSON object (others are skipped); streaming, so no databind at start-up. */
    static Map<String, String> flatObject(String json) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    values.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IOException("not an object");
            }
        }
        return values;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
