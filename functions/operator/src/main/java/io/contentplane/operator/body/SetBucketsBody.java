package io.contentplane.operator.body;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"buckets": [...]}}: non-negative integers or {@code familyId:index} strings (not mixed),
 * at least one, no duplicates; absent means "all buckets of the worker".
 */
@Serdeable.Deserializable
@Introspected
@NoAdditionalProperties
public record SetBucketsBody(
        @BucketIds @Serdeable.Deserializable(using = JsonValue.class) @Nullable JsonNode buckets,
        @JsonIgnore Map<String, Object> additional)
        implements AdditionalProperties {

    public SetBucketsBody {
        additional = new LinkedHashMap<>();
    }

    @JsonAnySetter
    void additional(String name, Object value) {
        additional.put(name, value);
    }

    /** The bucket ids once validated (strings, or integers as longs), or null for all buckets of the worker. */
    @Nullable
    public List<Object> ids() {
        if (buckets == null) {
            return null;
        }
        List<Object> ids = new ArrayList<>(buckets.size());
        for (JsonNode item : buckets.values()) {
            ids.add(item.isString() ? item.getStringValue() : BodyConstraints.integer(item.getNumberValue()).longValueExact());
        }
        return ids;
    }
}
