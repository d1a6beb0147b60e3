package io.contentplane.domain.dynamo;

import io.micronaut.core.annotation.Nullable;

/**
 * A number kept in an item of its own ({@code counter_value}) and changed only by atomic
 * increments: the next {@code int_id}, or how many items a list holds, changed in the same
 * transaction as the items it counts, so a list's total never needs the list read.
 * {@code value} is null in a write (the increment is the schema's, see {@link Counters}).
 */
public record Counter(String pk, String sk, @Nullable Long value) {

    public static Counter at(String pk, String sk) {
        return new Counter(pk, sk, null);
    }

    /** The value, 0 for a counter never incremented. */
    public long count() {
        return value == null ? 0 : value;
    }
}
