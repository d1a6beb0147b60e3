package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access tokens through Micronaut Security: what the API issues, and every kind of token it must
 * refuse (401 in the Apex shape), each beside a control token that differs only in what is tested.
 */
class IntegrationTokensTest extends IntegrationTestSupport {
    private static final String PATH = "/api/v1/integration/nodes/" + UUID.randomUUID();

    /** The claims of a good access token for KEY (at its current version), changed by {@code change}. */
    private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        long now = System.currentTimeMillis();
        return change.apply(new JWTClaimsSet.Builder().issuer("contentplane").audience("integration").subject(KEY)
                .claim("tenant", "tenant-a").claim("kv", keyVersion(KEY, SECRET)).jwtID(UUID.randomUUID().toString())
                .issueTime(new Date(now)).expirationTime(new Date(now + 600_000))).build();
    }

    private static String hs256(JWTClaimsSet claims, String key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** HS384/HS512 with the platform key itself (too short for Nimbus' signer, so made by hand). */
    private static String hmac(String alg, String javaAlg, JWTClaimsSet claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance(javaAlg);
        mac.init(new SecretKeySpec(PLATFORM_KEY.getBytes(StandardCharsets.UTF_8), javaAlg));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private void accepted(String token) {
        // authenticated: the node does not exist
        error(call("GET", PATH, api(token), null), 404, "NODE_NOT_FOUND");
    }

    private void refused(String token) {
        error(call("GET", PATH, api(token), null), 401, "UNAUTHORIZED");
    }

    @Test
    void issuedTokensCarryTheDocumentedClaims() throws Exception {
        Map<String, Object> tokens = login(KEY, SECRET);
        SignedJWT jwt = SignedJWT.parse((String) tokens.get("access_token"));
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals("contentplane", c.getIssuer());
        assertEquals(List.of("integration"), c.getAudience());
        assertEquals(KEY, c.getSubject());
        assertEquals("tenant-a", c.getStringClaim("tenant"));
        assertEquals(keyVersion(KEY, SECRET), c.getStringClaim("kv"));
        assertNotNull(c.getJWTID());
        assertEquals(3600_000, c.getExpirationTime().getTime() - c.getIssueTime().getTime());
        assertTrue(jwt.verify(new com.nimbusds.jose.crypto.MACVerifier(PLATFORM_KEY.getBytes(StandardCharsets.UTF_8))));
        accepted(jwt.serialize());
    }

    @Test
    void aTokenMadeLikeTheIssuedOnesIsAccepted() throws Exception {
        accepted(hs256(claims(b -> b), PLATFORM_KEY));
    }

    @Test
    void unsignedTokensAreRefused() {
        refused(new PlainJWT(claims(b -> b)).serialize());
    }

    @Test
    void otherAlgorithmsAreRefusedEvenWithThePlatformKey() throws Exception {
        refused(hmac("HS384", "HmacSHA384", claims(b -> b)));
        refused(hmac("HS512", "HmacSHA512", claims(b -> b)));
        accepted(hmac("HS256", "HmacSHA256", claims(b -> b))); // the same hand-made token, in HS256
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        SignedJWT rs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims(b -> b));
        rs256.sign(new RSASSASigner(rsa.generateKeyPair().getPrivate()));
        refused(rs256.serialize());
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        refused(hs256(claims(b -> b), "another-key-0123456789abcdef01234567"));
        String token = token();
        String[] parts = token.split("\\.");
        refused(parts[0] + "." + parts[1] + ".AAAA");
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() throws Exception {
        refused(hs256(claims(b -> b.expirationTime(new Date(System.currentTimeMillis() - 1000))), PLATFORM_KEY));
        refused(hs256(claims(b -> b.notBeforeTime(new Date(System.currentTimeMillis() + 600_000))), PLATFORM_KEY));
        accepted(hs256(claims(b -> b.notBeforeTime(new Date(System.currentTimeMillis() - 1000))), PLATFORM_KEY));
        refused(hs256(claims(b -> b.expirationTime(null)), PLATFORM_KEY));
    }

    @Test
    void otherIssuersAudiencesAndMissingClaimsAreRefused() throws Exception {
        refused(hs256(claims(b -> b.issuer("someone-else")), PLATFORM_KEY));
        refused(hs256(claims(b -> b.issuer(null)), PLATFORM_KEY));
        refused(hs256(claims(b -> b.claim("tenant", null)), PLATFORM_KEY));
        refused(hs256(claims(b -> b.claim("tenant", 5)), PLATFORM_KEY));
        refused(hs256(claims(b -> b.subject(null)), PLATFORM_KEY));
        refused(hs256(claims(b -> b.claim("kv", null)), PLATFORM_KEY));
        // a key version the key never had (it was created again, say): the key check refuses it
        refused(hs256(claims(b -> b.claim("kv", "2020-01-01T00:00:00Z")), PLATFORM_KEY));
        // a distributions token, signed with the same platform key
        refused(hs256(claims(b -> b.audience("distributions").claim("tenant", null)
                .claim("scope", "DISTRIBUTION_INFO DISTRIBUTION_ADD DISTRIBUTION_MANAGE").claim("workspaces", List.of("w"))), PLATFORM_KEY));
        refused(hs256(claims(b -> b.audience((String) null)), PLATFORM_KEY));
    }

    @Test
    void operatorShapedTokensAreRefused() throws Exception {
        // an Argus operator token's payload, even with the integration claims and the platform key
        refused(hs256(claims(b -> b.claim("reqUrl", PATH)), PLATFORM_KEY));
        refused(hs256(claims(b -> b.claim("reqBody", Map.of())), PLATFORM_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer not-a-token", "Bearer a.b.c", "Basic a2V5OnNlY3JldA==", "token"})
    void missingOrGarbageAuthorizationIsRefused(String authorization) {
        Map<String, String> headers = api(null);
        if (!authorization.isEmpty()) {
            headers.put("Authorization", authorization);
        }
        APIGatewayProxyResponseEvent response = call("GET", PATH, headers, null);
        error(response, 401, "UNAUTHORIZED");
    }

    @Test
    void aValidTokenOfAnotherTenantSeesNothingOfThisOne() throws Exception {
        String node = (String) createNode(token(), "mine", 1, null).get("id");
        String theirs = hs256(claims(b -> b.subject(OTHER_KEY).claim("tenant", "tenant-b")
                .claim("kv", keyVersion(OTHER_KEY, OTHER_SECRET))), PLATFORM_KEY);
        error(call("GET", "/api/v1/integration/nodes/" + node, api(theirs), null), 404, "NODE_NOT_FOUND");
    }
}
