package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.OptimisticRetry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.OptionalInt;

/**
 * TransactWriteItems with the outcome callers act on: done, or which item's condition failed.
 * A transaction cancelled only because another one held an item (TransactionConflict) is tried
 * again after a jittered pause, so a burst of writers on one identifier gives exactly one winner
 * and clean condition failures for the rest.
 */
final class Transactions {
    /** DynamoDB's limit of items per transaction. */
    static final int MAX_ITEMS = 100;

    private Transactions() {
    }

    /** Empty when written; else the index of the first item whose condition failed. */
    static OptionalInt write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            try {
                dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
                return OptionalInt.empty();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                boolean conflict = false;
                for (int i = 0; i < reasons.size(); i++) {
                    String code = reasons.get(i).code();
                    if ("ConditionalCheckFailed".equals(code)) {
                        return OptionalInt.of(i);
                    }
                    conflict |= "TransactionConflict".equals(code);
                }
                if (!conflict) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("Transaction kept conflicting; gave up after " + OptimisticRetry.ATTEMPTS + " attempts");
    }
}
