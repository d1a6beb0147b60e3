package io.contentplane.domain.node;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.time.LocalDateTime;

/** One row of the parameter table: a node's parameter, its value and its version. */
@MappedEntity("node_parameter")
public record NodeParameter(
        @EmbeddedId Key key,
        @Nullable @MappedProperty("param_value") String value,
        long version,
        @MappedProperty("updated_at") LocalDateTime updatedAt) {

    @Embeddable
    public record Key(
            @MappedProperty("node_id") String nodeId,
            @MappedProperty("param_name") String name) {
    }
}
