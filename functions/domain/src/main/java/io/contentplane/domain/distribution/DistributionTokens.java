package io.contentplane.domain.distribution;

import io.contentplane.domain.security.HmacJwt;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens of the distributions API: HS256 JWTs signed with the platform key
 * ({@code auth.jwt-secret}, {@code AUTH_JWT_SECRET}) carrying {@code sub}, {@code scope}
 * (space-separated scopes), {@code workspaces} (the workspaces the token may touch) and a future
 * {@code exp}. {@code aud} may be left out; when present it must name {@code distributions}, so the
 * integration API's access tokens (audience {@code integration}) do not work here.
 */
@Singleton
public class DistributionTokens {
    public static final String AUDIENCE = "distributions";
    public static final String INFO = "DISTRIBUTION_INFO";
    public static final String ADD = "DISTRIBUTION_ADD";
    public static final String MANAGE = "DISTRIBUTION_MANAGE";

    private final byte[] secret;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public DistributionTokens(@Value("${auth.jwt-secret:}") String secret, JsonMapper json) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    /** Who a valid token speaks for: its subject, scopes and workspaces. */
    public record Principal(String subject, Set<String> scopes, Set<String> workspaces) {
    }

    /** The principal of a valid token, or empty for anything else. */
    public Optional<Principal> verify(String token) {
        requireSecret();
        Optional<Map<String, Object>> claims = HmacJwt.verifiedHs256Claims(token, secret, json);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> c = claims.get();
        long now = clock.instant().getEpochSecond();
        if (!(c.get("exp") instanceof Number exp) || exp.longValue() <= now
                || (c.containsKey("nbf") && !(c.get("nbf") instanceof Number nbf && nbf.longValue() <= now))
                || (c.containsKey("aud") && !audienceAccepted(c.get("aud")))
                || !(c.get("sub") instanceof String subject) || subject.isBlank()
                || !(c.get("scope") instanceof String scope)
                || !(c.get("workspaces") instanceof List<?> workspaces)
                || !workspaces.stream().allMatch(w -> w instanceof String)) {
            return Optional.empty();
        }
        Set<String> scopes = Set.copyOf(Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        return Optional.of(new Principal(subject, scopes, Set.copyOf(workspaces.stream().map(String.class::cast).toList())));
    }

    /** A token for {@code subject} (the local runner prints one; tests use them), audience distributions. */
    public String issue(String subject, Collection<String> scopes, Collection<String> workspaces, Duration lifetime) {
        requireSecret();
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("aud", AUDIENCE);
        claims.put("scope", String.join(" ", scopes));
        claims.put("workspaces", List.copyOf(workspaces));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        return HmacJwt.sign(claims, secret, null, json);
    }

    /** {@code "distributions"}, or a list that contains it. */
    private static boolean audienceAccepted(Object aud) {
        if (aud instanceof List<?> list) {
            return list.contains(AUDIENCE);
        }
        return AUDIENCE.equals(aud);
    }

    private void requireSecret() {
        if (secret.length < 32) {
            throw new IllegalStateException("auth.jwt-secret (AUTH_JWT_SECRET) must be at least 32 bytes");
        }
    }
}
