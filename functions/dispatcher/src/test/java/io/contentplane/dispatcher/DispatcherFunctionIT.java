package io.contentplane.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.testing.EventReplays;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.testing.TestQueues;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both Lambda handlers fed the events AWS sends them, on LocalStack's SQS: the relay with the
 * scheduled event of events/schedule.json; the delivery function with SQS events shaped like
 * events/sqs-*.json whose records are real messages of the queues (as the event source mapping
 * would pass them), answering with a partial batch response. Every file of events/ is also replayed
 * as it is (what `sam local invoke -e` sends).
 */
class DispatcherFunctionIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @SuppressWarnings("unchecked")
    void relayThenFanOutThenDeliverThroughTheHandlers() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = QueuedDeliveries.receiver(received);
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        props.put("webhooks.allow-insecure", true); // the receiver is on loopback, over plain HTTP
        props.put("dispatcher.run-for", "1s");
        props.put("dispatcher.interval", "50ms");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            Distributor d = QueuedDeliveries.queueTwoEvents(context, receiver);
            DispatcherFunction relay = new DispatcherFunction(context);
            Map<String, Object> scheduled = JSON.readValue(Files.readAllBytes(Path.of("events", "schedule.json")), Map.class);
            Map<String, Object> summary = relay.handleRequest(scheduled, LambdaEvents.context());
            assertEquals(2L, ((Number) summary.get("relayed")).longValue(), summary.toString());

            DeliveryQueueFunction delivery = new DeliveryQueueFunction(context);
            SqsClient sqs = context.getBean(SqsClient.class);
            DeliveryQueues queues = context.getBean(DeliveryQueues.class);
            // the two fan-out messages (one node: one group, handed out one at a time)
            for (int i = 0; i < 2; i++) {
                List<Message> messages = receive(sqs, queues.url(DeliveryQueues.Queue.FAN_OUT));
                Map<String, Object> answer = delivery.handleRequest(event("sqs-fan-out.json", messages), LambdaEvents.context());
                assertEquals(Map.of("batchItemFailures", List.of()), answer);
                delete(sqs, queues.url(DeliveryQueues.Queue.FAN_OUT), messages);
            }
            // the distributor's two delivery messages, in event order
            for (int i = 0; i < 2; i++) {
                List<Message> messages = receive(sqs, queues.url(DeliveryQueues.Queue.DELIVERY));
                Map<String, Object> answer = delivery.handleRequest(event("sqs-delivery.json", messages), LambdaEvents.context());
                assertEquals(Map.of("batchItemFailures", List.of()), answer);
                delete(sqs, queues.url(DeliveryQueues.Queue.DELIVERY), messages);
            }
            assertEquals(2, received.size(), received.toString());
            List<Delivery> history = context.getBean(DeliveryStore.class).list(d.id(), 1, 10).deliveries();
            assertTrue(history.stream().allMatch(x -> x.state() == Delivery.State.DELIVERED), history.toString());

            // a failing webhook: the message is reported back (partial batch response), hidden for its backoff
            receiver.stop(0);
            context.getBean(io.contentplane.domain.node.NodeControlService.class).setWorker(d.nodeId(), 9);
            relay.handleRequest(scheduled, LambdaEvents.context());
            List<Message> fanOut = receive(sqs, queues.url(DeliveryQueues.Queue.FAN_OUT));
            delivery.handleRequest(event("sqs-fan-out.json", fanOut), LambdaEvents.context());
            delete(sqs, queues.url(DeliveryQueues.Queue.FAN_OUT), fanOut);
            List<Message> failing = receive(sqs, queues.url(DeliveryQueues.Queue.DELIVERY));
            Map<String, Object> answer = delivery.handleRequest(event("sqs-delivery.json", failing), LambdaEvents.context());
            assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", failing.get(0).messageId()))), answer);
            // backoff: not visible again right away (the first retry waits 5 to 10 s)
            assertTrue(sqs.receiveMessage(r -> r.queueUrl(queues.url(DeliveryQueues.Queue.DELIVERY)).waitTimeSeconds(1))
                    .messages().isEmpty());
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * Every file of events/ as it is (what {@code sam local invoke -e} sends), as declared in
     * EventReplays (also replayed through sam local by functions/local SamLocalIT): each file to the
     * handler template.yaml gives it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyEventFileIsAnsweredAsDeclared() {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        props.put("dispatcher.run-for", "100ms");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            context.getBean(io.contentplane.domain.dynamo.IntegrationTable.class)
                    .create(context.getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class));
            EventReplays.Replay replay = EventReplays.of("dispatcher");
            DispatcherFunction relay = new DispatcherFunction(context);
            DeliveryQueueFunction delivery = new DeliveryQueueFunction(context);
            replay.replay(new EventReplays.Stores(context, null), Path.of("events"), (file, event) -> {
                try {
                    Map<String, Object> input = JSON.readValue(event, Map.class);
                    Map<String, Object> answer = switch (replay.function(file)) {
                        case "DispatcherFunction" -> relay.handleRequest(input, LambdaEvents.context());
                        case "DeliveryFunction" -> delivery.handleRequest(input, LambdaEvents.context());
                        default -> throw new AssertionError("no handler for " + replay.function(file));
                    };
                    return JSON.writeValueAsString(answer);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(5)
                .messageSystemAttributeNamesWithStrings("All")).messages();
        assertEquals(1, messages.size(), "one message on " + url);
        return messages;
    }

    private static void delete(SqsClient sqs, String url, List<Message> messages) {
        messages.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
    }

    /** The events/ file's shape with real messages as records, as the event source mapping sends them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String file, List<Message> messages) throws Exception {
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("events", file)));
        ObjectNode template = (ObjectNode) sample.get("Records").get(0);
        ArrayNode records = JSON.createArrayNode();
        for (Message m : messages) {
            ObjectNode record = template.deepCopy();
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.put("md5OfBody", m.md5OfBody());
            ObjectNode attributes = JSON.createObjectNode();
            m.attributesAsStrings().forEach(attributes::put);
            record.set("attributes", attributes);
            records.add(record);
        }
        sample.set("Records", records);
        return JSON.convertValue(sample, Map.class);
    }
}
