package io.contentplane.operator.auth;

import io.contentplane.domain.argus.ArgusErrorShape;
import io.contentplane.domain.json.JsonTrees;
import io.contentplane.domain.security.PlatformSignature;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JWTClaimsSetUtils;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.Date;

/**
 * The rest of Argus's OperatorAuth, as Micronaut Security's claim validation of requests routed to
 * the operator API (others pass through untouched): the token must be an operator token, its
 * {@code iat} at most 5 minutes old (and not in the future beyond a small skew), {@code exp} (if
 * present) in the future, {@code nbf} (if present) reached, {@code reqUrl} equal to the request's
 * path and query and {@code reqBody} deep-equal to the parsed body ({@link OperatorRequestBody}).
 * A token thus authorises exactly one request shape to one node, for a few minutes.
 * Why a token is refused is left on the request for the 401's message.
 */
@Singleton
public class OperatorClaims implements GenericJwtClaimsValidator<HttpRequest<?>> {
    static final long MAX_AGE_SECONDS = 300;
    /** Tolerated clock skew for tokens issued "in the future". */
    static final long CLOCK_SKEW_SECONDS = 30;

    private final Clock clock;

    public OperatorClaims(@Nullable Clock clock) {
        this.clock = clock != null ? clock : Clock.systemUTC();
    }

    @Override
    public boolean validate(Claims claims, @Nullable HttpRequest<?> request) {
        if (request == null || !OperatorRoutes.routed(request)) {
            return true;
        }
        String refusal = refusal(claims, request);
        if (refusal != null) {
            request.setAttribute(ArgusErrorShape.AUTH_FAILURE, refusal);
            return false;
        }
        return true;
    }

    @Nullable
    private String refusal(Claims claims, HttpRequest<?> request) {
        if (!PlatformSignature.operatorShaped(JWTClaimsSetUtils.jwtClaimsSetFromClaims(claims))) {
            return "not an operator token";
        }
        long now = clock.millis() / 1000;
        if (claims.get("exp") instanceof Date exp && now >= seconds(exp)) {
            return "jwt expired";
        }
        if (claims.get("nbf") instanceof Date nbf && now + CLOCK_SKEW_SECONDS < seconds(nbf)) {
            return "jwt not active";
        }
        if (!(claims.get("iat") instanceof Date issued)) {
            return "iat required when maxAge is specified";
        }
        long iat = seconds(issued);
        if (now - iat > MAX_AGE_SECONDS) {
            return "maxAge exceeded";
        }
        if (iat > now + CLOCK_SKEW_SECONDS) {
            return "iat is in the future";
        }
        URI uri = request.getUri();
        String url = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (!url.equals(claims.get("reqUrl"))) {
            return "req.originalUrl mismatch";
        }
        OperatorRequestBody.Parsed body = request.getAttribute(OperatorRequestBody.PARSED, OperatorRequestBody.Parsed.class)
                .orElse(null);
        if (body == null || !JsonTrees.deepEquals(claims.get("reqBody"), body.value())) {
            return "req.body mismatch";
        }
        return null;
    }

    private static long seconds(Date date) {
        return Math.floorDiv(date.getTime(), 1000);
    }
}
