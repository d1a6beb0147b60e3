package io.contentplane.integration;

import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.RateLimiter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What every integration request passes before its endpoint runs: the {@code X-Target-Server}
 * header naming the right server, then (outside /auth) a valid access token, then the API key's
 * rate limit (shared by all Lambda instances through DynamoDB).
 */
@Singleton
public class IntegrationGate {
    static final String TARGET_SERVER = "X-Target-Server";
    private final AccessTokens accessTokens;
    private final RateLimiter rateLimiter;

    public IntegrationGate(AccessTokens accessTokens, RateLimiter rateLimiter) {
        this.accessTokens = accessTokens;
        this.rateLimiter = rateLimiter;
    }

    /** For /auth/*: the request must say {@code X-Target-Server: authentication}. */
    void requireTarget(HttpRequest<?> request, String expected) {
        String target = request.getHeaders().get(TARGET_SERVER);
        if (target == null || target.isBlank()) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "MISSING_TARGET_SERVER",
                    "The X-Target-Server header is required; use '" + expected + "' for this endpoint",
                    Map.of("X-Target-Server", "required"));
        }
        if (!expected.equals(target.trim().toLowerCase())) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_TARGET_SERVER",
                    "X-Target-Server must be '" + expected + "' for this endpoint",
                    Map.of("X-Target-Server", "expected '" + expected + "'"));
        }
    }

    /** For everything but /auth: target server, access token, rate limit; answers the caller's key. */
    ApiKey authorize(HttpRequest<?> request) {
        requireTarget(request, "integration");
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw IntegrationException.unauthorized("Authorization header with a Bearer access token is required");
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw IntegrationException.unauthorized("Authorization must be 'Bearer <access_token>'");
        }
        ApiKey key = accessTokens.verify(parts[1]).orElseThrow(
                () -> IntegrationException.unauthorized("Access token is invalid or expired"));
        OptionalLong retryAfter = rateLimiter.acquire(key.keyId());
        if (retryAfter.isPresent()) {
            throw new IntegrationException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                    "Rate limit exceeded: 50 requests per minute per API key", Map.of(), retryAfter.getAsLong());
        }
        return key;
    }
}
