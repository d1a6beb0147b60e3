package io.contentplane.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher Lambda fed the scheduled event of events/schedule.json, as EventBridge sends it. */
class DispatcherFunctionTest {

    @Test
    @SuppressWarnings("unchecked")
    void scheduledInvocationDeliversWhatIsQueued() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = QueuedDeliveries.receiver(received);
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.put("webhooks.allow-insecure", true);
        props.put("dispatcher.run-for", "2s");
        props.put("dispatcher.interval", "50ms");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            Distributor d = QueuedDeliveries.queueTwoEvents(context, receiver);
            DispatcherFunction function = new DispatcherFunction(context);
            ObjectMapper json = new ObjectMapper();
            // events/schedule.json as declared in EventReplays (also replayed through sam local by SamLocalIT)
            EventReplays.of("dispatcher").replay(new EventReplays.Stores(context, null), Path.of("events"),
                    (file, event) -> {
                        try {
                            return json.writeValueAsString(function.handleRequest(json.readValue(event, Map.class), LambdaEvents.context()));
                        } catch (java.io.IOException e) {
                            throw new AssertionError(file, e);
                        }
                    });
            // distributor.created and node.worker.changed (each id once, however often a slow machine repeats it)
            assertEquals(2, received.size(), received.toString());
            assertEquals(2, context.getBean(DeliveryStore.class).list(d.id(), 1, 10).total());
        } finally {
            receiver.stop(0);
        }
    }
}
