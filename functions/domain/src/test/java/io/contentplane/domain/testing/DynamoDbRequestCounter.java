package io.contentplane.domain.testing;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only DynamoDB round-trip counter: registered as a singleton in a test context, the client
 * factory adds it to the client, and it records the operation ({@code GetItem},
 * {@code TransactWriteItems}, ...) of every HTTP request the client sends, retries included, and
 * how many items each Query read.
 */
public final class DynamoDbRequestCounter implements ExecutionInterceptor {
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<QueryRead> queries = new CopyOnWriteArrayList<>();

    /** What one Query read: whether it was projected to the keys, and how many items it read (ScannedCount). */
    public record QueryRead(boolean keysOnly, int items) {
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest query && context.response() instanceof QueryResponse answer) {
            queries.add(new QueryRead(query.projectionExpression() != null, answer.scannedCount()));
        }
    }

    /** The Queries answered since the last {@link #reset()}, in order. */
    public List<QueryRead> queries() {
        return List.copyOf(queries);
    }

    /** The operations sent since the last {@link #reset()}, in order. */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    public void reset() {
        operations.clear();
        queries.clear();
    }
}
