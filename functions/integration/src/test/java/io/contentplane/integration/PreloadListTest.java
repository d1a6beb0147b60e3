package io.contentplane.integration;

import io.contentplane.domain.testing.PreloadLists;
import org.junit.jupiter.api.Test;

/** The classes this function's jar preloads on a cold start (ClassPreloader) come from its own cold start. */
class PreloadListTest {

    @Test
    void theListIsThisFunctionsAndCurrent() throws Exception {
        PreloadLists.assertCurrent(IntegrationFunction.class, IntegrationNodeController.class, IntegrationGate.class);
    }
}
