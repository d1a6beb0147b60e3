package io.contentplane.domain.webhook;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standard Webhooks signatures, against the specification's own test vector. */
class WebhookSignatureTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheStandardWebhooksTestVector() {
        assertEquals(EXPECTED, WebhookSignature.sign(SECRET, MSG_ID, TIMESTAMP, BODY));
    }

    @Test
    void verifiesTheTestVector() {
        assertTrue(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, EXPECTED));
    }

    @Test
    void verifiesWhenAnyOfSeveralSignaturesMatches() {
        String rotating = "v1,Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE= " + EXPECTED + " v1a,abc";
        assertTrue(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, rotating));
    }

    @Test
    void rejectsAnyChangeToTheMessageOrSignature() {
        String otherSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY + " ", EXPECTED));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID + "x", "1614265330", BODY, EXPECTED));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265331", BODY, EXPECTED));
        assertFalse(WebhookSignature.verify(otherSecret, MSG_ID, "1614265330", BODY, EXPECTED));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, EXPECTED.replace("v1,", "v2,")));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, EXPECTED.substring(3)));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, ""));
        assertFalse(WebhookSignature.verify(SECRET, MSG_ID, "1614265330", BODY, null));
    }

    @Test
    void newSecretsAreRandomPrefixedAndUsable() {
        String secret = WebhookSignature.newSecret();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(24, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
        assertNotEquals(secret, WebhookSignature.newSecret());

        String signature = WebhookSignature.sign(secret, MSG_ID, TIMESTAMP, BODY);
        assertTrue(WebhookSignature.verify(secret, MSG_ID, Long.toString(TIMESTAMP), BODY, signature));
        assertNotEquals(EXPECTED, signature);
    }
}
