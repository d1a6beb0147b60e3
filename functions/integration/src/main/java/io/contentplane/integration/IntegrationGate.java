package io.contentplane.integration;

import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.ApiKeyStore;
import io.contentplane.domain.integration.RateLimiter;
import io.contentplane.domain.security.TokenAuthentications;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.web.router.RouteMatch;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What an integration request passes besides the token, which Micronaut Security checks between
 * the two steps here (its filter runs at {@link ServerFilterPhase#SECURITY}):
 * <ol>
 *   <li>before security: size limits (headers 8 kB, as the local runner's Netty, and body 64 kB:
 *       413), then on a matched endpoint the {@code X-Target-Server} header ({@code authentication}
 *       for /auth/*, {@code integration} otherwise: 400). An unmatched path or method passes on, to
 *       be answered 404 or 405;</li>
 *   <li>after security: the token's API key still exists at the token's version and is not revoked
 *       (one consistent GetItem: 401 otherwise, so revocation works at once), then the key's rate
 *       limit (shared by all Lambda instances through DynamoDB: 429 with {@code Retry-After}).</li>
 * </ol>
 * So the order of refusals is that of the API before Micronaut Security: target server, token,
 * key, rate limit, then the body's validation.
 */
@ServerFilter(ApexErrorShape.PREFIX + "/**")
public class IntegrationGate {
    static final String TARGET_SERVER = "X-Target-Server";
    /** Request attribute: the caller's active {@link ApiKey}, set once the key is checked; endpoints bind it. */
    static final String API_KEY = "contentplane.integration.api-key";
    static final int MAX_HEADER_BYTES = 8192;
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String AUTH_PREFIX = ApexErrorShape.PREFIX + "/auth/";
    /** {@code ServerFilterPhase.SECURITY.before()} and {@code .after()} (annotation values must be constants). */
    private static final int BEFORE_SECURITY = 38751;
    private static final int AFTER_SECURITY = 39250;

    private final ApiKeyStore apiKeys;
    private final RateLimiter rateLimiter;

    public IntegrationGate(ApiKeyStore apiKeys, RateLimiter rateLimiter) {
        this.apiKeys = apiKeys;
        this.rateLimiter = rateLimiter;
    }

    @RequestFilter
    @Order(BEFORE_SECURITY)
    void limitsAndTargetServer(HttpRequest<?> request) {
        long headerBytes = 0;
        for (Map.Entry<String, List<String>> header : request.getHeaders()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new IntegrationException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "Request headers exceed " + MAX_HEADER_BYTES + " bytes", Map.of());
        }
        long bodyBytes = request instanceof ServerHttpRequest<?> server
                ? server.byteBody().expectedLength().orElse(request.getContentLength()) : request.getContentLength();
        if (bodyBytes > MAX_BODY_BYTES) {
            throw new IntegrationException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "Request body exceeds " + MAX_BODY_BYTES + " bytes", Map.of());
        }
        if (request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class).isEmpty()) {
            return;
        }
        String expected = request.getPath().startsWith(AUTH_PREFIX) ? "authentication" : "integration";
        String target = request.getHeaders().get(TARGET_SERVER);
        if (target == null || target.isBlank()) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "MISSING_TARGET_SERVER",
                    "The X-Target-Server header is required; use '" + expected + "' for this endpoint",
                    Map.of(TARGET_SERVER, "required"));
        }
        if (!expected.equals(target.trim().toLowerCase())) {
            throw new IntegrationException(HttpStatus.BAD_REQUEST, "INVALID_TARGET_SERVER",
                    "X-Target-Server must be '" + expected + "' for this endpoint",
                    Map.of(TARGET_SERVER, "expected '" + expected + "'"));
        }
    }

    @RequestFilter
    @Order(AFTER_SECURITY)
    void activeKeyAndRateLimit(HttpRequest<?> request) {
        Authentication caller = request.getUserPrincipal(Authentication.class).orElse(null);
        if (caller == null || !caller.getRoles().contains(TokenAuthentications.INTEGRATION)) {
            return; // /auth/*, or a path that matched nothing
        }
        Object version = caller.getAttributes().get(AccessTokens.KEY_VERSION);
        Object tenant = caller.getAttributes().get(AccessTokens.TENANT);
        if (!(version instanceof String v) || !(tenant instanceof String t) || !apiKeys.isActive(caller.getName(), v)) {
            throw new IntegrationException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                    "The API key of this token is revoked or deleted; authenticate with an active key", Map.of());
        }
        request.setAttribute(API_KEY, new ApiKey(caller.getName(), t, v));
        OptionalLong retryAfter = rateLimiter.acquire(caller.getName());
        if (retryAfter.isPresent()) {
            throw new IntegrationException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                    "Rate limit exceeded: 50 requests per minute per API key", Map.of(), retryAfter.getAsLong());
        }
    }
}
