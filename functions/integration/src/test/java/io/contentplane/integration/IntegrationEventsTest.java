package io.contentplane.integration;

import io.contentplane.domain.testing.EventReplays;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * Replays every file of events/ through the handler as declared in {@link EventReplays} (order, fresh
 * tokens, the ids earlier answers gave, expected statuses and bodies), for API key dev-api-key in
 * tenant-a. The sam local test (functions/local SamLocalIT) replays the same declarations through the
 * SAM CLI.
 */
class IntegrationEventsTest extends IntegrationTestSupport {

    @Test
    void everyEventFileIsAnsweredAsDocumented() {
        EventReplays.of("integration").replay(new EventReplays.Stores(context, "tenant-a"), Path.of("events"),
                EventReplays.handler(handler));
    }
}
