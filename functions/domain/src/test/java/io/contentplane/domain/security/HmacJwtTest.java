package io.contentplane.domain.security;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HS256 gate the integration and distributions token verifiers share. */
class HmacJwtTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);

    @Test
    void anHs256TokenSignedWithTheKeyGivesItsClaims() {
        String token = HmacJwt.sign(Map.of("sub", "someone"), SECRET, null, JSON);

        assertEquals(Optional.of("someone"),
                HmacJwt.verifiedHs256Claims(token, SECRET, JSON).map(claims -> claims.get("sub")));
    }

    @Test
    void anotherKeyAnotherAlgorithmOrAMalformedTokenGiveNothing() throws Exception {
        String token = HmacJwt.sign(Map.of("sub", "someone"), SECRET, null, JSON);
        byte[] otherKey = "another-secret-of-at-least-thirty-two-b".getBytes(StandardCharsets.UTF_8);

        assertEquals(Optional.empty(), HmacJwt.verifiedHs256Claims(token, otherKey, JSON));
        assertEquals(Optional.empty(), HmacJwt.verifiedHs256Claims(hs512(SECRET), SECRET, JSON));
        assertEquals(Optional.empty(), HmacJwt.verifiedHs256Claims("not.a-token", SECRET, JSON));
        assertEquals(Optional.empty(), HmacJwt.verifiedHs256Claims(null, SECRET, JSON));
    }

    /** A well-formed HS512 token with the right key: still refused, only HS256 is accepted. */
    private static String hs512(byte[] secret) throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString("{\"sub\":\"someone\"}".getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(secret, "HmacSHA512"));
        return input + "." + base64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
