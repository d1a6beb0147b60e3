package io.contentplane.operator.body;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.contentplane.domain.node.DataPlane;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"objectsInCache","storageLimit","storageUsed","downloadsInProgress"}}, all required
 * integers >= 0 (the figures of Argus's {@code StatusResponse}), nothing else. The fields hold the
 * JSON values as sent, so a string or a fraction is refused instead of being coerced.
 */
@Serdeable.Deserializable
@Introspected
@NoAdditionalProperties
public record ReportUsageBody(
        @NotNull(message = "must have required property 'objectsInCache'") @NonNegativeInteger
        @Serdeable.Deserializable(using = JsonValue.class) @Nullable
        @Schema(type = "integer", format = "int64", minimum = "0", maximum = BodyConstraints.LONG_MAX_TEXT) JsonNode objectsInCache,
        @NotNull(message = "must have required property 'storageLimit'") @NonNegativeInteger
        @Serdeable.Deserializable(using = JsonValue.class) @Nullable
        @Schema(type = "integer", format = "int64", minimum = "0", maximum = BodyConstraints.LONG_MAX_TEXT) JsonNode storageLimit,
        @NotNull(message = "must have required property 'storageUsed'") @NonNegativeInteger
        @Serdeable.Deserializable(using = JsonValue.class) @Nullable
        @Schema(type = "integer", format = "int64", minimum = "0", maximum = BodyConstraints.LONG_MAX_TEXT) JsonNode storageUsed,
        @NotNull(message = "must have required property 'downloadsInProgress'") @NonNegativeInteger
        @Serdeable.Deserializable(using = JsonValue.class) @Nullable
        @Schema(type = "integer", format = "int64", minimum = "0", maximum = BodyConstraints.LONG_MAX_TEXT) JsonNode downloadsInProgress,
        @JsonIgnore Map<String, Object> additional) implements AdditionalProperties {

    public ReportUsageBody {
        additional = new LinkedHashMap<>();
    }

    @JsonAnySetter
    void additional(String name, Object value) {
        additional.put(name, value);
    }

    /** The report, once validated. */
    public DataPlane report() {
        return new DataPlane(value(objectsInCache), value(storageLimit), value(storageUsed), value(downloadsInProgress));
    }

    private static long value(JsonNode node) {
        return BodyConstraints.integer(node.getNumberValue()).longValueExact();
    }
}
