package io.contentplane.distributions;

import io.contentplane.domain.testing.EventReplays;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * Replays every file of events/ through the handler as declared in {@link EventReplays} (order, a fresh
 * workspace and token, the ids earlier answers gave, expected statuses and bodies). The sam local test
 * (functions/local SamLocalIT) replays the same declarations through the SAM CLI.
 */
class DistributionsEventsTest extends DistributionsTestSupport {

    @Test
    void everyEventFileIsAnsweredAsDocumented() {
        EventReplays.of("distributions").replay(new EventReplays.Stores(context, null), Path.of("events"),
                EventReplays.handler(handler));
    }
}
