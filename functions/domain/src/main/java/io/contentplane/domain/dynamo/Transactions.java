package io.contentplane.domain.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.OptionalInt;

/**
 * TransactWriteItems (through the Enhanced Client) with the outcome callers act on: done, or which
 * item's condition failed (items count in the order they were added to the request). A
 * transaction cancelled only because another one held an item (TransactionConflict) is tried
 * again after a jittered pause, so a burst of writers on one item gives exactly one winner and
 * clean condition failures for the rest.
 */
public final class Transactions {
    /** DynamoDB's limit of items per transaction. */
    public static final int MAX_ITEMS = 100;

    private Transactions() {
    }

    /** Empty when written; else the index of the first item whose condition failed. */
    public static OptionalInt write(DynamoDbEnhancedClient dynamo, TransactWriteItemsEnhancedRequest request) {
        for (int attempt = 0; attempt < OptimisticRetry.ATTEMPTS; attempt++) {
            OptimisticRetry.pause(attempt);
            try {
                dynamo.transactWriteItems(request);
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
