package io.contentplane.local;

import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.SqsClientFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The local runner's SQS engine (ElasticMQ) with the runner's own delivery queues: what was queued
 * and not yet deleted when it stopped is there again after a restart on the same directory, and
 * what was deleted stays deleted; in memory (IN_MEMORY=true) nothing is kept.
 */
class EmbeddedSqsTest {

    @Test
    void queuedMessagesSurviveARestart(@TempDir Path dataDir) {
        Path storage = dataDir.resolve("sqs");
        String queue;
        try (EmbeddedSqs sqs = EmbeddedSqs.start(storage); SqsClient client = client(sqs)) {
            queue = (String) DeliveryQueues.create(client, "restart").get("delivery.queue-url");
            send(client, queue, "delivered before the stop", "d1");
            send(client, queue, "still queued at the stop", "d2");
            Message delivered = receive(client, queue).get(0);
            assertEquals("delivered before the stop", delivered.body());
            client.deleteMessage(r -> r.queueUrl(queue).receiptHandle(delivered.receiptHandle()));
        }

        try (EmbeddedSqs sqs = EmbeddedSqs.start(storage); SqsClient client = client(sqs)) {
            // the runner creates its queues at every start: the stored queue is found, not replaced
            String again = (String) DeliveryQueues.create(client, "restart").get("delivery.queue-url");
            assertEquals(queue.substring(queue.lastIndexOf('/')), again.substring(again.lastIndexOf('/')));
            List<Message> messages = receive(client, again);
            assertEquals(List.of("still queued at the stop"), messages.stream().map(Message::body).toList());
            // FIFO attributes survive too: the group orders the node's messages
            assertEquals("node-1", messages.get(0).attributesAsStrings().get("MessageGroupId"));
        }
    }

    @Test
    void inMemoryKeepsNothing() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(null); SqsClient client = client(sqs)) {
            String queue = (String) DeliveryQueues.create(client, "memory").get("delivery.queue-url");
            send(client, queue, "gone with the engine", "m1");
        }
        try (EmbeddedSqs sqs = EmbeddedSqs.start(null); SqsClient client = client(sqs)) {
            assertEquals(List.of(), client.listQueues().queueUrls());
        }
    }

    private static SqsClient client(EmbeddedSqs sqs) {
        return new SqsClientFactory().sqsClient(sqs.endpoint(), EmbeddedSqs.REGION);
    }

    private static void send(SqsClient client, String queue, String body, String deduplicationId) {
        client.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageGroupId("node-1")
                .messageDeduplicationId(deduplicationId));
    }

    /** What one receive returns (FIFO: the group's first message that is not in flight). */
    private static List<Message> receive(SqsClient client, String queue) {
        return client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(1).waitTimeSeconds(1)
                .messageSystemAttributeNamesWithStrings("All")).messages();
    }
}
