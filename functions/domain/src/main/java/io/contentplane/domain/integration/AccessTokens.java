package io.contentplane.domain.integration;

import io.contentplane.domain.security.HmacJwt;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The integration API's access tokens: HS256 JWTs signed with the platform key
 * ({@code auth.jwt-secret}, {@code AUTH_JWT_SECRET}), valid one hour, audience {@code integration}.
 * Verification checks algorithm, signature, issuer, audience and expiry; a token minted for another
 * audience (the distributions API, say) is refused here.
 */
@Singleton
public class AccessTokens {
    public static final long LIFETIME_SECONDS = 3600;
    static final String ISSUER = "contentplane";
    static final String AUDIENCE = "integration";

    private final byte[] secret;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public AccessTokens(@Value("${auth.jwt-secret:}") String secret, JsonMapper json) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    public record Issued(String token, Instant expiresAt) {
    }

    public Issued issue(ApiKey key) {
        requireSecret();
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(LIFETIME_SECONDS);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", key.keyId());
        claims.put("tenant", key.tenantId());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        return new Issued(HmacJwt.sign(claims, secret, null, json), expires);
    }

    /** The key a valid token was issued to, or empty for anything else. */
    public Optional<ApiKey> verify(String token) {
        requireSecret();
        Optional<Map<String, Object>> claims = HmacJwt.verifiedHs256Claims(token, secret, json);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> c = claims.get();
        long now = clock.instant().getEpochSecond();
        if (!ISSUER.equals(c.get("iss")) || !AUDIENCE.equals(c.get("aud"))
                || !(c.get("exp") instanceof Number exp) || exp.longValue() <= now
                || !(c.get("sub") instanceof String sub) || !(c.get("tenant") instanceof String tenant)) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(sub, tenant));
    }

    private void requireSecret() {
        if (secret.length < 32) {
            throw new IllegalStateException("auth.jwt-secret (AUTH_JWT_SECRET) must be at least 32 bytes");
        }
    }
}
