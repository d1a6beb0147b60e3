package io.contentplane.domain.testing;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only DynamoDB round-trip counter: registered as a singleton in a test context, the client
 * factory adds it to the client, and it records the operation ({@code GetItem},
 * {@code TransactWriteItems}, ...) of every HTTP request the client sends, retries included.
 */
public final class DynamoDbRequestCounter implements ExecutionInterceptor {
    private final List<String> operations = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** The operations sent since the last {@link #reset()}, in order. */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    public void reset() {
        operations.clear();
    }
}
