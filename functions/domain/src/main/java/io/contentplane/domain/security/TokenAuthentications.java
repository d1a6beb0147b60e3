package io.contentplane.domain.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a verified token speaks for, for all three kinds of token (the local runner serves every API
 * in one context, so one factory tells them apart; each API's claim validator then checks the
 * claims its API needs, and {@code @Secured} the role):
 * <ul>
 *   <li>an Argus operator token ({@code reqUrl}/{@code reqBody}): name = the node it addresses
 *       ({@code kid}, or the default node without one), role {@link #OPERATOR};</li>
 *   <li>an integration access token ({@code aud} integration): name = the API key, role
 *       {@link #INTEGRATION}, attribute {@code tenant};</li>
 *   <li>any other token (distributions): name = {@code sub}, roles = the scopes of its
 *       space-separated {@code scope} claim, attribute {@code workspaces}.</li>
 * </ul>
 * The attributes are the token's claims.
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
@Requires(classes = JwtAuthenticationFactory.class)
public class TokenAuthentications implements JwtAuthenticationFactory {
    public static final String OPERATOR = "OPERATOR";
    public static final String INTEGRATION = "INTEGRATION";
    public static final String INTEGRATION_AUDIENCE = "integration";

    private final String defaultNodeId;

    public TokenAuthentications(@Value("${node.id:}") String defaultNodeId) {
        this.defaultNodeId = defaultNodeId;
    }

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        if (!(token instanceof SignedJWT)) {
            // Only reachable without any signature configuration, where the library accepts "alg": "none".
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = token.getJWTClaimsSet();
        } catch (ParseException e) {
            return Optional.empty();
        }
        if (claims == null) {
            return Optional.empty();
        }
        Map<String, Object> attributes = claims.getClaims();
        if (PlatformSignature.operatorShaped(claims)) {
            String kid = token instanceof SignedJWT signed ? signed.getHeader().getKeyID() : null;
            String node = kid != null ? kid : defaultNodeId;
            return node == null || node.isBlank() ? Optional.empty()
                    : Optional.of(Authentication.build(node, List.of(OPERATOR), attributes));
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        List<String> audience = claims.getAudience();
        if (audience != null && audience.contains(INTEGRATION_AUDIENCE)) {
            return Optional.of(Authentication.build(subject, List.of(INTEGRATION), attributes));
        }
        Object scope = attributes.get("scope");
        List<String> scopes = scope instanceof String s
                ? Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList() : List.of();
        return Optional.of(Authentication.build(subject, scopes, attributes));
    }
}
