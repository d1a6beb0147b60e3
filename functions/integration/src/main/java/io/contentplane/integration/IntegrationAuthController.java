package io.contentplane.integration;

import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.RefreshTokenStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/integration/auth/authenticate} (API key and secret, in the body or the
 * {@code Api-Key}/{@code Api-Secret} headers) and {@code POST /api/v1/integration/auth/refresh}.
 * Both answer {@code {access_token, refresh_token, token_type, expires_in, expires_at}}.
 */
@Controller("/api/v1/integration/auth")
public class IntegrationAuthController {
    private final IntegrationGate gate;
    private final JsonBodies bodies;
    private final ApiKeyStore apiKeys;
    private final AccessTokens accessTokens;
    private final RefreshTokenStore refreshTokens;

    public IntegrationAuthController(IntegrationGate gate, JsonBodies bodies, ApiKeyStore apiKeys,
                                     AccessTokens accessTokens, RefreshTokenStore refreshTokens) {
        this.gate = gate;
        this.bodies = bodies;
        this.apiKeys = apiKeys;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
    }

    @Post(uri = "/authenticate", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> authenticate(HttpRequest<?> request, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            gate.requireTarget(request, "authentication");
            Map<String, Object> json = bodies.object(body);
            Map<String, String> errors = new LinkedHashMap<>();
            JsonBodies.rejectUnknown(json, Set.of("api_key", "secret_key"), "", errors);
            String keyId = credential(json, "api_key", request.getHeaders().get("Api-Key"), errors);
            String secret = credential(json, "secret_key", request.getHeaders().get("Api-Secret"), errors);
            if (!errors.isEmpty()) {
                throw IntegrationException.validation(errors);
            }
            ApiKey key = apiKeys.verify(keyId, secret).orElseThrow(() -> new IntegrationException(
                    HttpStatus.UNAUTHORIZED, "INVALID_CREDENTIALS", "Invalid API key or secret", Map.of()));
            return HttpResponse.ok(tokens(key, refreshTokens.issue(key)));
        });
    }

    @Post(uri = "/refresh", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> refresh(HttpRequest<?> request, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            gate.requireTarget(request, "authentication");
            Map<String, Object> json = bodies.object(body);
            Map<String, String> errors = new LinkedHashMap<>();
            JsonBodies.rejectUnknown(json, Set.of("refresh_token"), "", errors);
            if (!(json.get("refresh_token") instanceof String token) || token.isBlank()) {
                errors.put("refresh_token", "required string");
                throw IntegrationException.validation(errors);
            }
            if (!errors.isEmpty()) {
                throw IntegrationException.validation(errors);
            }
            RefreshTokenStore.Rotation rotation = refreshTokens.rotate(token);
            return switch (rotation.outcome()) {
                case ROTATED -> HttpResponse.ok(tokens(rotation.key(), rotation.token()));
                case REUSED -> throw new IntegrationException(HttpStatus.UNAUTHORIZED, "REFRESH_TOKEN_REUSED",
                        "Refresh token was already used; every token of this login is now revoked", Map.of());
                case INVALID -> throw new IntegrationException(HttpStatus.UNAUTHORIZED, "INVALID_REFRESH_TOKEN",
                        "Refresh token is invalid, expired or revoked", Map.of());
            };
        });
    }

    private Map<String, Object> tokens(ApiKey key, String refreshToken) {
        AccessTokens.Issued access = accessTokens.issue(key);
        Map<String, Object> body = new HashMap<>();
        body.put("access_token", access.token());
        body.put("refresh_token", refreshToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", AccessTokens.LIFETIME_SECONDS);
        body.put("expires_at", DateTimeFormatter.ISO_INSTANT.format(access.expiresAt()));
        return body;
    }

    /** From the body if present there, else from the header; a wrong type is a validation error. */
    private static String credential(Map<String, Object> json, String field, @Nullable String header, Map<String, String> errors) {
        Object value = json.containsKey(field) ? json.get(field) : header;
        if (!(value instanceof String s) || s.isBlank()) {
            errors.put(field, json.containsKey(field) ? "must be a non-empty string" : "required (in the body, or the "
                    + (field.equals("api_key") ? "Api-Key" : "Api-Secret") + " header)");
            return null;
        }
        return s;
    }
}
