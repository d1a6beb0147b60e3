package io.contentplane.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The baseline must verify operator tokens as strictly as the function, or the comparison is unfair. */
class BareOperatorHandlerTest {
    private static final byte[] SECRET = "test-secret".getBytes(StandardCharsets.UTF_8);
    private static final String PATH = "/api/v1/set-worker";
    private static final String BODY = "{\"workerId\": 7}";
    private static final long NOW = 1_795_444_800L;

    @Test
    void acceptsATokenSignedForThisRequest() throws Exception {
        JsonNode body = BareOperatorHandler.verify("Bearer " + token(PATH, BODY), PATH, BODY, SECRET, NOW);

        assertEquals(7, body.get("workerId").asInt());
    }

    @Test
    void refusesATamperedToken() {
        String[] signed = token(PATH, BODY).split("\\.");
        String[] other = token(PATH, "{\"workerId\": 8}").split("\\.");
        // The claims of another request under this request's signature.
        String tampered = signed[0] + "." + other[1] + "." + signed[2];

        assertUnauthorized("bearer " + tampered, "{\"workerId\": 8}");
    }

    @Test
    void refusesATokenForAnotherPath() {
        assertUnauthorized("bearer " + token("/api/v1/stop-api", BODY), BODY);
    }

    @Test
    void writesTheEventPayloadAsTheFunctionDoes() throws Exception {
        String payload = BareOperatorHandler.workerChanged("evt_1", "node-1",
                Instant.parse("2026-11-23T12:00:00.123456Z"), 7);

        assertEquals(Baselines.JSON.readTree("{\"id\":\"evt_1\",\"type\":\"node.worker.changed\",\"node_id\":\"node-1\","
                + "\"occurred_at\":\"2026-11-23T12:00:00.123456Z\",\"data\":{\"worker_id\":7}}"), Baselines.JSON.readTree(payload));
    }

    private static String token(String reqUrl, String body) {
        try {
            return ColdStartBench.operatorToken(reqUrl, Baselines.JSON.readTree(body), SECRET, NOW);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertUnauthorized(String authorization, String body) {
        BareOperatorHandler.Refused refused = assertThrows(BareOperatorHandler.Refused.class,
                () -> BareOperatorHandler.verify(authorization, PATH, body, SECRET, NOW));
        assertEquals(401, refused.status);
    }
}
