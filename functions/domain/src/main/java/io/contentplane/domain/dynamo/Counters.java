package io.contentplane.domain.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactUpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.atomicCounter;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * The schemas of {@link Counter} items. The Enhanced Client's atomic counter extension turns every
 * update of a counter into {@code SET counter_value = if_not_exists(counter_value, 0) + delta}, the
 * delta being the schema's: {@link #UP} adds one, {@link #DOWN} takes one away. Either reads a counter.
 */
public final class Counters {
    public static final String VALUE = "counter_value";
    public static final TableSchema<Counter> UP = schema(1);
    public static final TableSchema<Counter> DOWN = schema(-1);

    private Counters() {
    }

    /** The update that changes the counter by its table's delta, in a transaction. */
    public static TransactUpdateItemEnhancedRequest<Counter> change(String pk, String sk) {
        return TransactUpdateItemEnhancedRequest.builder(Counter.class).item(Counter.at(pk, sk)).ignoreNulls(true).build();
    }

    /** The same, on its own; the answer holds the new value. */
    public static UpdateItemEnhancedRequest<Counter> changeNow(String pk, String sk) {
        return UpdateItemEnhancedRequest.builder(Counter.class).item(Counter.at(pk, sk)).ignoreNulls(true)
                .returnValues(ReturnValue.UPDATED_NEW).build();
    }

    /** A counter's value (a consistent read), 0 for one never incremented. */
    public static long read(DynamoDbTable<Counter> counters, String pk, String sk) {
        Counter counter = counters.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(pk).sortValue(sk).build()).consistentRead(true).build());
        return counter == null ? 0 : counter.count();
    }

    private static TableSchema<Counter> schema(long delta) {
        return StaticImmutableTableSchema.builder(Counter.class, Builder.class)
                .newItemBuilder(Builder::new, Builder::build)
                .addAttribute(String.class, a -> a.name(SingleTable.PK).getter(Counter::pk).setter(Builder::pk)
                        .tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(SingleTable.SK).getter(Counter::sk).setter(Builder::sk)
                        .tags(primarySortKey()))
                .addAttribute(Long.class, a -> a.name(VALUE).getter(Counter::value).setter(Builder::value)
                        .tags(atomicCounter(delta, delta)))
                .build();
    }

    private static final class Builder {
        private String pk;
        private String sk;
        private Long value;

        void pk(String v) {
            pk = v;
        }

        void sk(String v) {
            sk = v;
        }

        void value(Long v) {
            value = v;
        }

        Counter build() {
            return new Counter(pk, sk, value);
        }
    }
}
