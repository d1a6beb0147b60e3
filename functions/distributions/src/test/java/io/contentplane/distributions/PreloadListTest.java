package io.contentplane.distributions;

import io.contentplane.domain.testing.PreloadLists;
import org.junit.jupiter.api.Test;

/** The classes this function's jar preloads on a cold start (ClassPreloader) come from its own cold start. */
class PreloadListTest {

    @Test
    void theListIsThisFunctionsAndCurrent() throws Exception {
        PreloadLists.assertCurrent(DistributionsFunction.class, DistributionController.class);
    }
}
