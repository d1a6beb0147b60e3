package io.contentplane.integration;

import com.nimbusds.jwt.JWTClaimsSet;
import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.security.PlatformSignature;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JWTClaimsSetUtils;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Date;
import java.util.List;

/**
 * The claims of an access token, checked by Micronaut Security after the signature, for requests
 * under {@code /api/v1/integration} only (other APIs' tokens have other claims; the local runner
 * serves them all in one context): issuer {@value AccessTokens#ISSUER}, audience
 * {@value AccessTokens#AUDIENCE} (so a distributions token is refused), an expiry in the future,
 * no {@code nbf} in the future, a key ({@code sub}), its {@code tenant} and version ({@code kv}), and never an Argus
 * operator token's shape. A token that fails is no authentication: 401.
 */
@Singleton
public class IntegrationClaims implements GenericJwtClaimsValidator<HttpRequest<?>> {

    @Override
    public boolean validate(Claims claims, @Nullable HttpRequest<?> request) {
        if (request == null || !request.getPath().startsWith(ApexErrorShape.PREFIX + "/")) {
            return true;
        }
        JWTClaimsSet set = JWTClaimsSetUtils.jwtClaimsSetFromClaims(claims);
        Date now = new Date();
        try {
            List<String> audience = set.getAudience();
            Date expires = set.getExpirationTime();
            Date notBefore = set.getNotBeforeTime();
            return !PlatformSignature.operatorShaped(set)
                    && AccessTokens.ISSUER.equals(set.getIssuer())
                    && audience != null && audience.contains(AccessTokens.AUDIENCE)
                    && expires != null && expires.after(now)
                    && (notBefore == null || !notBefore.after(now))
                    && nonBlank(set.getSubject())
                    && nonBlank(set.getStringClaim(AccessTokens.TENANT))
                    && nonBlank(set.getStringClaim(AccessTokens.KEY_VERSION));
        } catch (ParseException | RuntimeException e) {
            return false; // a claim of the wrong type
        }
    }

    private static boolean nonBlank(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
