package io.contentplane.domain.distribution;

import io.contentplane.domain.security.PlatformSignature;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issues bearer tokens of the distributions API: HS256 JWTs signed with the platform key
 * ({@code auth.jwt-secret}, {@code AUTH_JWT_SECRET}) by Micronaut Security's
 * {@link JwtTokenGenerator} over {@link PlatformSignature}, carrying {@code sub}, {@code aud}
 * distributions, {@code scope} (space-separated scopes, which become the caller's roles),
 * {@code workspaces} (the workspaces the token may touch), {@code iat} and {@code exp}. They are
 * verified by Micronaut Security too; the distributions function checks their claims.
 */
@Singleton
@Requires(classes = JwtTokenGenerator.class)
public class DistributionTokens {
    public static final String AUDIENCE = "distributions";
    public static final String INFO = "DISTRIBUTION_INFO";
    public static final String ADD = "DISTRIBUTION_ADD";
    public static final String MANAGE = "DISTRIBUTION_MANAGE";
    public static final List<String> SCOPES = List.of(INFO, ADD, MANAGE);

    private final JwtTokenGenerator generator;
    private final Clock clock = Clock.systemUTC();

    public DistributionTokens(PlatformSignature signature) {
        // Only claims are signed here (generateToken(Map)): the generator's claims generator is not used.
        this.generator = new JwtTokenGenerator(signature, null, null);
    }

    /** Tokens signed with {@code secret} (at least 32 bytes), outside an application context (the local runner's command). */
    public static DistributionTokens signedWith(String secret) {
        return new DistributionTokens(new PlatformSignature(secret));
    }

    /**
     * A token for {@code subject} with {@code scopes} on {@code workspaces}, audience distributions,
     * valid {@code lifetime}; throws when the platform key is missing or shorter than 32 bytes.
     */
    public String issue(String subject, Collection<String> scopes, Collection<String> workspaces, Duration lifetime) {
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("aud", AUDIENCE);
        claims.put("scope", String.join(" ", scopes));
        claims.put("workspaces", List.copyOf(workspaces));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        return generator.generateToken(claims)
                .orElseThrow(() -> new IllegalStateException("The platform key could not sign a distributions token"));
    }
}
