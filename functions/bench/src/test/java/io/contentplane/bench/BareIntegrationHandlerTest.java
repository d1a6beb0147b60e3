package io.contentplane.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The baseline must check access tokens as strictly as the function, or the comparison is unfair. */
class BareIntegrationHandlerTest {
    private static final byte[] SECRET = "bench-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_795_444_800L;

    @Test
    void acceptsAValidAccessToken() {
        BareIntegrationHandler.Caller caller = BareIntegrationHandler.verify(
                ColdStartBench.accessToken("key-1", "tenant-1", "v1", SECRET, NOW), SECRET, NOW + 10);

        assertEquals(new BareIntegrationHandler.Caller("key-1", "tenant-1", "v1"), caller);
    }

    @Test
    void refusesAnExpiredToken() {
        assertNull(BareIntegrationHandler.verify(
                ColdStartBench.accessToken("key-1", "tenant-1", "v1", SECRET, NOW), SECRET, NOW + 3600));
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        byte[] other = "another-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8);

        assertNull(BareIntegrationHandler.verify(ColdStartBench.accessToken("key-1", "tenant-1", "v1", other, NOW), SECRET, NOW));
    }

    @Test
    void refusesATamperedToken() {
        String[] signed = ColdStartBench.accessToken("key-1", "tenant-1", "v1", SECRET, NOW).split("\\.");
        String[] other = ColdStartBench.accessToken("key-1", "tenant-2", "v1", SECRET, NOW).split("\\.");

        assertNull(BareIntegrationHandler.verify(signed[0] + "." + other[1] + "." + signed[2], SECRET, NOW));
    }
}
