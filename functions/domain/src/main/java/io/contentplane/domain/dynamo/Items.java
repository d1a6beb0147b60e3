package io.contentplane.domain.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** Small helpers to read and write attribute maps without reflection-based mappers. */
public final class Items {
    private Items() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : v.s();
    }

    public static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.valueOf(v.n());
    }

    /** Page {@code page} (from 1) of {@code perPage} items of a list. */
    public static <T> List<T> page(List<T> all, int page, int perPage) {
        int from = (int) Math.min(all.size(), (long) (page - 1) * perPage);
        return all.subList(from, (int) Math.min(all.size(), (long) from + perPage));
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(IntegrationTable.PK, s(pk), IntegrationTable.SK, s(sk));
    }
}
