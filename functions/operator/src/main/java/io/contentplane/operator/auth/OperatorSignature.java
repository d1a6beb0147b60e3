package io.contentplane.operator.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.security.OperatorKey;
import io.contentplane.domain.security.PlatformSignature;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Optional;

/**
 * Micronaut Security's signature check of Argus operator tokens (claims with {@code reqUrl} or
 * {@code reqBody}; other tokens are the platform key's): HS256/HS384/HS512 with the secret of the
 * node the token names. A {@code kid} header names the node, verified with that node's own stored
 * secret; without one the token addresses the default node ({@code node.id}) and its configured
 * secret ({@code operator.hmac-secret}). An unknown {@code kid} and a wrong secret fail alike.
 * {@code alg: none} never gets here: Micronaut refuses unsigned tokens once a signature is configured.
 */
@Singleton
public class OperatorSignature implements SignatureConfiguration {
    private static final int MAX_KID = 64;

    private final NodeControlService nodes;
    private final String defaultSecret;

    public OperatorSignature(NodeControlService nodes, @Value("${operator.hmac-secret:}") String defaultSecret) {
        this.nodes = nodes;
        this.defaultSecret = defaultSecret;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only HS256, HS384 and HS512 are supported for operator tokens";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return JWSAlgorithm.Family.HMAC_SHA.contains(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        if (!supports(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            if (!PlatformSignature.operatorShaped(jwt.getJWTClaimsSet())) {
                return false;
            }
        } catch (ParseException e) {
            return false;
        }
        return secret(jwt.getHeader().getKeyID()).map(secret -> verify(jwt, secret)).orElse(false);
    }

    private Optional<String> secret(String kid) {
        if (kid == null) {
            return defaultSecret.isEmpty() ? Optional.empty() : Optional.of(defaultSecret);
        }
        if (kid.isBlank() || kid.length() > MAX_KID) {
            return Optional.empty();
        }
        return nodes.operatorSecret(kid);
    }

    private static boolean verify(SignedJWT jwt, String secret) {
        try {
            return new OperatorKey(secret).verify(jwt);
        } catch (JOSEException e) {
            return false;
        }
    }
}
