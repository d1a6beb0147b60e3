package io.contentplane.operator;

import io.contentplane.domain.testing.PreloadLists;
import org.junit.jupiter.api.Test;

/** The classes this function's jar preloads on a cold start (ClassPreloader) come from its own cold start. */
class PreloadListTest {

    @Test
    void theListIsThisFunctionsAndCurrent() throws Exception {
        PreloadLists.assertCurrent(OperatorFunction.class, OperatorController.class, io.contentplane.operator.auth.OperatorSignature.class);
    }
}
