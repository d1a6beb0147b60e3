package io.contentplane.domain.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.contentplane.domain.security.OperatorKey;

/**
 * Operator tokens made as Argus's CLI makes them: {@code sign({reqUrl, reqBody}, secret, {expiresIn: 60})},
 * here signed through Micronaut Security's signature configuration for a node's secret ({@link OperatorKey}).
 */
public final class OperatorTokens {
    private OperatorTokens() {
    }

    public static String cli(String secret, String reqUrl, Object reqBody) {
        return make(secret, null, reqUrl, reqBody, System.currentTimeMillis() / 1000, 60L);
    }

    public static String forNode(String nodeId, String secret, String reqUrl, Object reqBody) {
        return make(secret, nodeId, reqUrl, reqBody, System.currentTimeMillis() / 1000, 60L);
    }

    /** Full control for tampered, expired and old tokens; {@code expiresIn} null leaves {@code exp} out. */
    public static String make(String secret, String kid, String reqUrl, Object reqBody, Long iat, Long expiresIn) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("reqUrl", reqUrl).claim("reqBody", reqBody);
        if (iat != null) {
            claims.claim("iat", iat);
            if (expiresIn != null) {
                claims.claim("exp", iat + expiresIn);
            }
        }
        try {
            return new OperatorKey(secret, kid).sign(claims.build()).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
