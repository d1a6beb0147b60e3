package io.contentplane.domain.distribution;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributions tokens as the library's generator signs them over the platform key. */
class DistributionTokensTest {
    private static final String KEY = "test-platform-key-0123456789abcdef0123456789";

    @Test
    void aTokenIsHs256OverTheClaimsTheApiReads() throws Exception {
        String token = DistributionTokens.signedWith(KEY).issue("user-1", DistributionTokens.SCOPES, List.of("ws-1", "ws-2"),
                Duration.ofMinutes(10));

        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new MACVerifier(KEY.getBytes(StandardCharsets.UTF_8))));
        assertEquals("user-1", jwt.getJWTClaimsSet().getSubject());
        assertEquals(List.of("distributions"), jwt.getJWTClaimsSet().getAudience());
        assertEquals("DISTRIBUTION_INFO DISTRIBUTION_ADD DISTRIBUTION_MANAGE", jwt.getJWTClaimsSet().getStringClaim("scope"));
        assertEquals(List.of("ws-1", "ws-2"), jwt.getJWTClaimsSet().getStringListClaim("workspaces"));
        long lifetime = jwt.getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond()
                - jwt.getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond();
        assertEquals(600, lifetime);
        assertTrue(jwt.getJWTClaimsSet().getExpirationTime().toInstant().isAfter(Instant.now()));
    }

    @Test
    void aMissingOrShortPlatformKeySignsNothing() {
        for (String key : List.of("", "short-key-0123456789abcdef01234")) {
            DistributionTokens tokens = DistributionTokens.signedWith(key);
            assertThrows(IllegalStateException.class, () -> tokens.issue("user-1", DistributionTokens.SCOPES, List.of("ws"), Duration.ofMinutes(1)));
        }
    }
}
