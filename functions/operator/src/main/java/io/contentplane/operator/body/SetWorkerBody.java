package io.contentplane.operator.body;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"workerId": <integer >= 0>}}. The field holds the JSON value as sent, so that a string,
 * a fraction or a boolean is refused by validation instead of being coerced into a number.
 */
@Serdeable.Deserializable
@Introspected
@NoAdditionalProperties
public record SetWorkerBody(
        @NotNull(message = "must have required property 'workerId'") @NonNegativeInteger
        @Serdeable.Deserializable(using = JsonValue.class) @Nullable
        @Schema(type = "integer", format = "int64", minimum = "0", maximum = BodyConstraints.LONG_MAX_TEXT) JsonNode workerId,
        @JsonIgnore Map<String, Object> additional) implements AdditionalProperties {

    public SetWorkerBody {
        additional = new LinkedHashMap<>();
    }

    @JsonAnySetter
    void additional(String name, Object value) {
        additional.put(name, value);
    }

    /** The worker, once validated. */
    public long worker() {
        return BodyConstraints.integer(workerId.getNumberValue()).longValueExact();
    }
}
