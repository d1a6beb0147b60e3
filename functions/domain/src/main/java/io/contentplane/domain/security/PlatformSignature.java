package io.contentplane.domain.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The platform key ({@code auth.jwt-secret}, {@code AUTH_JWT_SECRET}): signs the tokens the project
 * issues (integration access tokens, distributions tokens) with HS256 through Micronaut Security's
 * {@code JwtTokenGenerator}, and verifies them. HS256 only (the library's own secret signature
 * accepts HS384/HS512 too).
 * <p>
 * It never verifies an Argus operator token (one that carries {@code reqUrl} or {@code reqBody}):
 * those are verified only with a node's operator secret, and the integration and distributions
 * claim validators refuse operator-shaped tokens, so that neither key can stand in for the other
 * where both are configured (the local runner serves every API in one context).
 */
@Singleton
@Named("generator")
@Requires(classes = SignatureGeneratorConfiguration.class)
public class PlatformSignature implements SignatureGeneratorConfiguration {
    static final int MIN_SECRET_BYTES = 32;
    /** Null when no key of at least 32 bytes is configured: nothing is verified, and signing fails. */
    private final byte[] secret;

    /*
     * No @Requires on the property: Micronaut AOT decides property requirements at build time, where
     * AUTH_JWT_SECRET is not set, and would leave this bean out of the Lambda jars. A function
     * without the key (the operator's) simply verifies no platform token.
     */
    public PlatformSignature(@Value("${auth.jwt-secret:}") String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        this.secret = bytes.length >= MIN_SECRET_BYTES ? bytes : null;
    }

    /** True when the claims are those of an Argus operator token. */
    public static boolean operatorShaped(JWTClaimsSet claims) {
        return claims.getClaim("reqUrl") != null || claims.getClaim("reqBody") != null;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only HS256 is supported for platform tokens";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return secret != null && JWSAlgorithm.HS256.equals(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        if (!supports(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            if (operatorShaped(jwt.getJWTClaimsSet())) {
                return false;
            }
        } catch (ParseException e) {
            return false;
        }
        return jwt.verify(new MACVerifier(secret));
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        if (secret == null) {
            throw new IllegalStateException("auth.jwt-secret (AUTH_JWT_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt;
    }
}
