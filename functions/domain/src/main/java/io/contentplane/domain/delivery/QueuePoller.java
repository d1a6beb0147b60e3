package io.contentplane.domain.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the Lambda SQS event source does, for the local runner and the tests: {@code concurrency}
 * loops each receive up to {@code batchSize} messages (long polling; the event source's BatchSize),
 * hand them to the {@link DeliveryWorker} and delete those it did not report as failed. In AWS the
 * event source mapping does this (template.yaml).
 */
public final class QueuePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);
    /** As long as a Lambda invocation may run (the function's timeout). */
    private static final Duration INVOCATION = Duration.ofSeconds(60);

    private final SqsClient sqs;
    private final DeliveryQueues queues;
    private final DeliveryWorker worker;
    private final DeliveryQueues.Queue queue;
    private final int batchSize;
    private final ExecutorService loops;
    private volatile boolean running = true;

    public QueuePoller(SqsClient sqs, DeliveryQueues queues, DeliveryWorker worker, DeliveryQueues.Queue queue, int concurrency,
                       int batchSize) {
        this.batchSize = batchSize;
        this.sqs = sqs;
        this.queues = queues;
        this.worker = worker;
        this.queue = queue;
        this.loops = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "poll-" + queue.name().toLowerCase(java.util.Locale.ROOT));
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            loops.execute(this::loop);
        }
    }

    private void loop() {
        while (running) {
            try {
                poll();
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Polling {} failed: {}", queue, e.getClass().getName());
                    sleep();
                }
            }
        }
    }

    /** One receive, handle and delete; returns how many messages were received. */
    int poll() {
        String url = queues.url(queue);
        ReceiveMessageResponse received = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(batchSize).waitTimeSeconds(1)
                .messageSystemAttributeNamesWithStrings("MessageGroupId"));
        if (received.messages().isEmpty()) {
            return 0;
        }
        List<QueueMessage> batch = new ArrayList<>();
        for (Message m : received.messages()) {
            batch.add(new QueueMessage(m.messageId(), m.receiptHandle(), m.body(),
                    m.attributesAsStrings().get("MessageGroupId"), queue));
        }
        Set<String> failed = new HashSet<>(worker.handle(batch, Instant.now().plus(INVOCATION)));
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (QueueMessage m : batch) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id("d" + done.size()).receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(done));
        }
        return batch.size();
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        loops.shutdown();
        try {
            loops.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.shutdownNow();
    }
}
