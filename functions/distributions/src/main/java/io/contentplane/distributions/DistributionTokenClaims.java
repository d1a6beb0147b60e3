package io.contentplane.distributions;

import io.contentplane.domain.distribution.DistributionTokens;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.util.Date;
import java.util.List;

/**
 * The claims a distributions token must carry, checked by Micronaut Security after the signature
 * (HS256 with the platform key, {@code PlatformSignature}) and only for requests under
 * {@code /workspaces} (other APIs check their own tokens): a future {@code exp}, a past
 * {@code nbf} when given, an {@code aud} naming distributions when given (so the integration API's
 * access tokens, audience integration, are refused), a subject, a {@code scope} string (its scopes
 * become the roles {@code @Secured} checks) and {@code workspaces}, a list of names. An Argus
 * operator token ({@code reqUrl}/{@code reqBody}) is never one, whatever key signed it.
 */
@Singleton
public class DistributionTokenClaims implements GenericJwtClaimsValidator<HttpRequest<?>> {

    @Override
    public boolean validate(@NonNull Claims claims, @Nullable HttpRequest<?> request) {
        if (request == null || !(request.getPath().equals(BuddyErrors.PREFIX) || request.getPath().startsWith(BuddyErrors.PREFIX + "/"))) {
            return true;
        }
        long now = System.currentTimeMillis();
        return claims.get("reqUrl") == null && claims.get("reqBody") == null
                && claims.get(Claims.EXPIRATION_TIME) instanceof Date exp && exp.getTime() > now
                && (!claims.contains(Claims.NOT_BEFORE) || claims.get(Claims.NOT_BEFORE) instanceof Date nbf && nbf.getTime() <= now)
                && (!claims.contains(Claims.AUDIENCE) || claims.get(Claims.AUDIENCE) instanceof List<?> aud && aud.contains(DistributionTokens.AUDIENCE))
                && claims.get(Claims.SUBJECT) instanceof String sub && !sub.isBlank()
                && claims.get("scope") instanceof String
                && claims.get("workspaces") instanceof List<?> workspaces && workspaces.stream().allMatch(String.class::isInstance);
    }
}
