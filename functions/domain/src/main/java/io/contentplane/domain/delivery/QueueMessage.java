package io.contentplane.domain.delivery;

/**
 * One SQS message as the Lambda event source hands it over (a record of the SQS event), or as the
 * local poller received it: which queue, its FIFO message group, and the handle to change its visibility.
 */
public record QueueMessage(String messageId, String receiptHandle, String body, String groupId, DeliveryQueues.Queue queue) {
}
