package io.contentplane.operator.body;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;

/** The body of stop-api, start-api, shutdown and boot: nothing, or an empty object. */
@Serdeable.Deserializable
@Introspected
@NoAdditionalProperties
public record OperationBody(@JsonIgnore Map<String, Object> additional) implements AdditionalProperties {
    public OperationBody {
        additional = new LinkedHashMap<>();
    }

    @JsonAnySetter
    void additional(String name, Object value) {
        additional.put(name, value);
    }
}
