package io.contentplane.integration;

import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.InvalidRequestException;
import io.contentplane.domain.integration.RefreshTokenStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/integration/auth/authenticate} (API key and secret, in the body or the
 * {@code Api-Key}/{@code Api-Secret} headers) and {@code POST /api/v1/integration/auth/refresh}.
 * Both answer {@code {access_token, refresh_token, token_type, expires_in, expires_at}}.
 */
@Controller("/api/v1/integration/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
public class IntegrationAuthController {
    private final ApiKeyStore apiKeys;
    private final AccessTokens accessTokens;
    private final RefreshTokenStore refreshTokens;

    public IntegrationAuthController(ApiKeyStore apiKeys, AccessTokens accessTokens, RefreshTokenStore refreshTokens) {
        this.apiKeys = apiKeys;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
    }

    @Post("/authenticate")
    AuthBodies.Tokens authenticate(@Body @Nullable @Valid AuthBodies.Credentials body,
                                   @Header("Api-Key") @Nullable String keyHeader,
                                   @Header("Api-Secret") @Nullable String secretHeader) {
        AuthBodies.Credentials given = body == null ? AuthBodies.Credentials.NONE : body;
        Map<String, String> missing = new LinkedHashMap<>();
        String keyId = given.apiKey() != null ? given.apiKey() : required(keyHeader, "api_key", "Api-Key", missing);
        String secret = given.secretKey() != null ? given.secretKey() : required(secretHeader, "secret_key", "Api-Secret", missing);
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("Request validation failed", missing);
        }
        ApiKey key = apiKeys.verify(keyId, secret).orElseThrow(() -> new IntegrationException(
                HttpStatus.UNAUTHORIZED, "INVALID_CREDENTIALS", "Invalid API key or secret", Map.of()));
        return tokens(key, refreshTokens.issue(key));
    }

    @Post("/refresh")
    AuthBodies.Tokens refresh(@Body @Valid AuthBodies.Refresh body) {
        RefreshTokenStore.Rotation rotation = refreshTokens.rotate(body.refreshToken());
        return switch (rotation.outcome()) {
            case ROTATED -> tokens(rotation.key(), rotation.token());
            case REUSED -> throw new IntegrationException(HttpStatus.UNAUTHORIZED, "REFRESH_TOKEN_REUSED",
                    "Refresh token was already used; every token of this login is now revoked", Map.of());
            case INVALID -> throw new IntegrationException(HttpStatus.UNAUTHORIZED, "INVALID_REFRESH_TOKEN",
                    "Refresh token is invalid, expired or revoked", Map.of());
        };
    }

    private AuthBodies.Tokens tokens(ApiKey key, String refreshToken) {
        AccessTokens.Issued access = accessTokens.issue(key);
        return new AuthBodies.Tokens(access.token(), refreshToken, "Bearer", AccessTokens.LIFETIME_SECONDS,
                DateTimeFormatter.ISO_INSTANT.format(access.expiresAt()));
    }

    /** A half of the credentials given only as a header (the body's, if any, won above). */
    @Nullable
    private static String required(@Nullable String header, String field, String headerName, Map<String, String> missing) {
        if (header == null || header.isBlank()) {
            missing.put(field, "required (in the body, or the " + headerName + " header)");
            return null;
        }
        return header;
    }
}
