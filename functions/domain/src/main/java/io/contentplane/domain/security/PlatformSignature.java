package io.contentplane.domain.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.value.PropertyResolver;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.function.Supplier;

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
// Not a requirement on auth.jwt-secret: Micronaut AOT decides requirements when the jar is built, and
// the secret is only known at run time (Secrets Manager). Without a usable secret it verifies and signs nothing.
@Requires(classes = SignatureGeneratorConfiguration.class)
public class PlatformSignature implements SignatureGeneratorConfiguration {
    static final int MIN_SECRET_BYTES = 32;
    private static final String PROPERTY = "auth.jwt-secret";
    private final Supplier<String> secret;

    /** The key is read on each use: it may change after a SnapStart restore (SecretsRefresh). */
    @Inject
    public PlatformSignature(PropertyResolver properties) {
        this.secret = () -> properties.getProperty(PROPERTY, String.class).orElse("");
    }

    /** A signature with a fixed key (priming signs with a random one). */
    public PlatformSignature(String secret) {
        this.secret = () -> secret;
    }

    /** The current key, or null when none of at least 32 bytes is configured. */
    private byte[] usableSecret() {
        byte[] bytes = secret.get().getBytes(StandardCharsets.UTF_8);
        return bytes.length >= MIN_SECRET_BYTES ? bytes : null;
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
        byte[] key = usableSecret();
        if (key == null || !supports(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            if (operatorShaped(jwt.getJWTClaimsSet())) {
                return false;
            }
        } catch (ParseException e) {
            return false;
        }
        return jwt.verify(new MACVerifier(key));
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        byte[] key = usableSecret();
        if (key == null) {
            throw new JOSEException("auth.jwt-secret (AUTH_JWT_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt;
    }
}
