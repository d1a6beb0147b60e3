package io.contentplane.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The baseline must check distributions tokens as strictly as the function (DistributionTokens),
 * or the comparison is unfair: HS256 only, the signature, a future {@code exp}, a past {@code nbf}
 * when given, {@code aud} distributions when given, a subject, a scope string and a list of
 * workspace names.
 */
class BareDistributionsHandlerTest {
    private static final byte[] SECRET = "bench-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_795_444_800L;
    private static final List<String> SCOPES = List.of("DISTRIBUTION_INFO", "DISTRIBUTION_MANAGE");

    @Test
    void acceptsATokenAsTheFunctionIssuesIt() {
        BareDistributionsHandler.Principal principal = BareDistributionsHandler.verify(
                ColdStartBench.distributionsToken("user-1", SCOPES, List.of("ws-1", "ws-2"), SECRET, NOW), SECRET, NOW + 10);

        assertEquals(new BareDistributionsHandler.Principal("user-1", Set.copyOf(SCOPES), Set.of("ws-1", "ws-2")), principal);
    }

    @Test
    void refusesAnExpiredToken() {
        assertNull(BareDistributionsHandler.verify(
                ColdStartBench.distributionsToken("user-1", SCOPES, List.of("ws-1"), SECRET, NOW), SECRET, NOW + 3600));
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        byte[] other = "another-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8);

        assertNull(BareDistributionsHandler.verify(
                ColdStartBench.distributionsToken("user-1", SCOPES, List.of("ws-1"), other, NOW), SECRET, NOW));
    }

    @Test
    void refusesATamperedToken() {
        String[] signed = ColdStartBench.distributionsToken("user-1", SCOPES, List.of("ws-1"), SECRET, NOW).split("\\.");
        String[] other = ColdStartBench.distributionsToken("user-1", SCOPES, List.of("ws-2"), SECRET, NOW).split("\\.");

        assertNull(BareDistributionsHandler.verify(signed[0] + "." + other[1] + "." + signed[2], SECRET, NOW));
    }

    @Test
    void refusesOtherAlgorithmsThanHs256EvenWhenCorrectlySigned() {
        assertNull(BareDistributionsHandler.verify(token("HS384", "HmacSHA384", claims()), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(token("HS512", "HmacSHA512", claims()), SECRET, NOW));
        String unsigned = token("none", "HmacSHA256", claims());
        assertNull(BareDistributionsHandler.verify(unsigned.substring(0, unsigned.lastIndexOf('.') + 1), SECRET, NOW));
        assertNotNull(BareDistributionsHandler.verify(token("HS256", "HmacSHA256", claims()), SECRET, NOW));
    }

    @Test
    void takesTheAudienceWhenItNamesDistributionsAndTheTokenWithoutOne() {
        assertNotNull(BareDistributionsHandler.verify(hs256(claims().put("aud", "distributions")), SECRET, NOW));
        ObjectNode listed = claims();
        listed.putArray("aud").add("integration").add("distributions");
        assertNotNull(BareDistributionsHandler.verify(hs256(listed), SECRET, NOW));
        assertNotNull(BareDistributionsHandler.verify(hs256(claims()), SECRET, NOW));
    }

    @Test
    void refusesAnotherAudience() {
        // the integration API's access tokens are signed with the same key
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("aud", "integration")), SECRET, NOW));
        ObjectNode listed = claims();
        listed.putArray("aud").add("integration");
        assertNull(BareDistributionsHandler.verify(hs256(listed), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(
                ColdStartBench.accessToken("key-1", "tenant-1", "v1", SECRET, NOW), SECRET, NOW));
    }

    @Test
    void refusesATokenNotValidYet() {
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("nbf", NOW + 60)), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("nbf", "yesterday")), SECRET, NOW));
        assertNotNull(BareDistributionsHandler.verify(hs256(claims().put("nbf", NOW)), SECRET, NOW));
    }

    @Test
    void refusesTokensWithoutTheClaimsTheFunctionNeeds() {
        ObjectNode withoutExpiry = claims();
        withoutExpiry.remove("exp");
        assertNull(BareDistributionsHandler.verify(hs256(withoutExpiry), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("exp", "tomorrow")), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("sub", " ")), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("sub", 7)), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("scope", 7)), SECRET, NOW));
        assertNull(BareDistributionsHandler.verify(hs256(claims().put("workspaces", "ws-1")), SECRET, NOW));
        ObjectNode mixed = claims();
        mixed.putArray("workspaces").add("ws-1").add(2);
        assertNull(BareDistributionsHandler.verify(hs256(mixed), SECRET, NOW));
    }

    @Test
    void refusesWhatIsNotAJwt() {
        assertNull(BareDistributionsHandler.verify("", SECRET, NOW));
        assertNull(BareDistributionsHandler.verify("a.b", SECRET, NOW));
        assertNull(BareDistributionsHandler.verify("a.b.c.d", SECRET, NOW));
        assertNull(BareDistributionsHandler.verify("!.!.!", SECRET, NOW));
        String valid = hs256(claims());
        assertNull(BareDistributionsHandler.verify(valid + "x".repeat(16_384), SECRET, NOW));
    }

    /** The claims of a valid token without {@code aud}: sub, scope, workspaces, iat, exp. */
    private static ObjectNode claims() {
        ObjectNode claims = Baselines.JSON.createObjectNode().put("sub", "user-1").put("scope", "DISTRIBUTION_INFO");
        claims.putArray("workspaces").add("ws-1");
        return claims.put("iat", NOW - 10).put("exp", NOW + 600);
    }

    private static String hs256(ObjectNode claims) {
        return token("HS256", "HmacSHA256", claims);
    }

    private static String token(String alg, String javaAlgorithm, ObjectNode claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = Baselines.JSON.createObjectNode().put("alg", alg).put("typ", "JWT").toString();
        String input = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance(javaAlgorithm);
            mac.init(new SecretKeySpec(SECRET, javaAlgorithm));
            return input + "." + base64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
