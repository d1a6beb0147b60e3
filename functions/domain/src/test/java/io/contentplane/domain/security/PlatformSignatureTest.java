package io.contentplane.domain.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The platform key: HS256 tokens it signed, nothing else; without a usable secret, nothing at all. */
class PlatformSignatureTest {
    private static final String KEY = "test-platform-key-0123456789abcdef0123456789";
    private static final JWTClaimsSet CLAIMS = new JWTClaimsSet.Builder().subject("s").build();

    @Test
    void verifiesWhatItSignedOnly() throws Exception {
        PlatformSignature platform = new PlatformSignature(KEY);
        assertTrue(platform.verify(platform.sign(CLAIMS)));
        assertFalse(new PlatformSignature("another-key-0123456789abcdef0123456789").verify(platform.sign(CLAIMS)));
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), CLAIMS);
        hs512.sign(new MACSigner((KEY + KEY).getBytes(StandardCharsets.UTF_8)));
        assertFalse(new PlatformSignature(KEY + KEY).verify(hs512), "HS256 only");
        SignedJWT operator = platform.sign(new JWTClaimsSet.Builder().claim("reqUrl", "/api/v1/stop-api").build());
        assertFalse(platform.verify(operator), "never an operator token");
    }

    @Test
    void withoutAUsableSecretItSignsAndVerifiesNothing() throws Exception {
        SignedJWT signed = new PlatformSignature(KEY).sign(CLAIMS);
        for (String secret : new String[]{"", "short-secret"}) {
            PlatformSignature none = new PlatformSignature(secret);
            assertFalse(none.verify(signed));
            assertThrows(JOSEException.class, () -> none.sign(CLAIMS));
        }
    }
}
