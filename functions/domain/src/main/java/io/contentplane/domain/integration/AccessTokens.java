package io.contentplane.domain.integration;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Issues the integration API's access tokens: JWTs made by Micronaut Security's
 * {@link JwtTokenGenerator}, signed (HS256) with the platform key ({@code auth.jwt-secret},
 * {@code AUTH_JWT_SECRET}; see {@code PlatformSignature}), valid one hour, issuer
 * {@value #ISSUER}, audience {@value #AUDIENCE}, subject the API key, plus its tenant and the key's
 * version ({@value #KEY_VERSION}; the integration function refuses it once the key is revoked). The security
 * filter verifies them; the integration function's claims validator checks these claims.
 */
@Singleton
@Requires(classes = JwtTokenGenerator.class)
public class AccessTokens {
    public static final long LIFETIME_SECONDS = 3600;
    public static final String ISSUER = "contentplane";
    public static final String AUDIENCE = "integration";
    public static final String TENANT = "tenant";
    /** The version of the API key the token was issued for (checked against the key on every use). */
    public static final String KEY_VERSION = "kv";

    private final JwtTokenGenerator generator;
    private final Clock clock = Clock.systemUTC();

    public AccessTokens(JwtTokenGenerator generator) {
        this.generator = generator;
    }

    public record Issued(String token, Instant expiresAt) {
    }

    public Issued issue(ApiKey key) {
        if (key.version() == null) {
            throw new IllegalArgumentException("An access token needs the key's version");
        }
        if (generator.getSignatureConfiguration() == null) {
            throw new IllegalStateException("No platform key: the generator would make an unsigned token");
        }
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(LIFETIME_SECONDS);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", key.keyId());
        claims.put(TENANT, key.tenantId());
        claims.put(KEY_VERSION, key.version());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", Date.from(now));
        claims.put("exp", Date.from(expires));
        String token = generator.generateToken(claims) // empty without a usable AUTH_JWT_SECRET (32 bytes or more)
                .orElseThrow(() -> new IllegalStateException("The access token could not be signed"));
        return new Issued(token, expires);
    }
}
