package io.contentplane.domain.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.HMAC;
import com.nimbusds.jose.crypto.utils.ConstantTimeUtils;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One node's operator secret as Micronaut Security's signature (and generator) configuration:
 * Argus operator tokens are HMAC-signed JWTs (HS256, HS384 or HS512, as Node's {@code jsonwebtoken}
 * accepts them). Nimbus's own {@code MACSigner}/{@code MACVerifier} refuse secrets shorter than
 * 256 bits, while Argus accepts any operator secret (the development default has 29 bytes); this
 * key computes the same HMAC with Nimbus's {@link HMAC} for a secret of any length and compares
 * signatures in constant time. It signs with HS256 and the node's {@code kid} when it has one, as
 * Argus's CLI does (which sends no {@code kid}).
 */
public final class OperatorKey implements SignatureGeneratorConfiguration, JWSSigner, JWSVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    private final byte[] secret;
    @Nullable
    private final String kid;
    private final JCAContext jca = new JCAContext();

    /** A key that verifies, or signs without {@code kid}. */
    public OperatorKey(String secret) {
        this(secret, null);
    }

    /** A key that signs with {@code kid} in the header (null: none). */
    public OperatorKey(String secret, @Nullable String kid) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.kid = kid;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only HS256, HS384 and HS512 are supported for operator tokens";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return ALGORITHMS.contains(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        return supports(jwt.getHeader().getAlgorithm()) && jwt.verify(this);
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(kid).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(this);
        return jwt;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        return Base64URL.encode(mac(header.getAlgorithm(), signingInput));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (secret.length == 0 || !supports(header.getAlgorithm())) {
            return false;
        }
        return ConstantTimeUtils.areEqual(mac(header.getAlgorithm(), signingInput), signature.decode());
    }

    private byte[] mac(JWSAlgorithm algorithm, byte[] input) throws JOSEException {
        if (secret.length == 0) {
            throw new JOSEException("No operator secret");
        }
        String jca = switch (algorithm.getName()) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> throw new JOSEException("Unsupported algorithm " + algorithm);
        };
        return HMAC.compute(jca, secret, input, null);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
