package io.contentplane.integration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.contentplane.domain.integration.Node;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.contentplane.integration.AuthBodies.NON_BLANK;
import static io.contentplane.integration.AuthBodies.NON_EMPTY_STRING;

/** Bodies of {@code /api/v1/integration/nodes}. */
final class NodeBodies {
    static final int MAX_NAME = 255;
    static final String TOO_LONG = "must be at most " + MAX_NAME + " characters";
    static final String TYPES = "required: 1 (Apex), 2 (Account) or 3 (SubAccount)";
    /** The contract's word for a field an update may repeat but not change (which depends on the stored node). */
    static final String CURRENT_ONLY = "read-only: may be sent only with the node's current value (as GET answers it), else 400 'cannot be changed'";

    private NodeBodies() {
    }

    /** {@code POST /nodes}: the parent (an id in the caller's tenant) is checked by the registry. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Create(
            @NotNull(message = "required") @Pattern(regexp = NON_BLANK, message = NON_EMPTY_STRING) @Size(max = MAX_NAME, message = TOO_LONG)
            @Serdeable.Deserializable(using = StrictJson.Text.class) String name,
            @NotNull(message = TYPES) @Min(value = 1, message = TYPES) @Max(value = 3, message = TYPES)
            @Serdeable.Deserializable(using = StrictJson.WholeNumber.class) Integer type,
            @JsonProperty("parent_id") @Nullable
            @Serdeable.Deserializable(using = StrictJson.Text.class) String parentId) {
    }

    /**
     * {@code PUT /nodes/{id}}: renames. {@code type} and {@code parent_id} may be sent only with
     * their current values, so which fields were sent (a {@code null} included) is kept.
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    static final class Update {
        @JsonIgnore
        private final Set<String> given = new HashSet<>();
        @Nullable
        @Pattern(regexp = NON_BLANK, message = NON_EMPTY_STRING)
        @Size(max = MAX_NAME, message = TOO_LONG)
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        private String name;
        @Nullable
        @Serdeable.Deserializable(using = StrictJson.WholeNumber.class)
        @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = CURRENT_ONLY)
        private Integer type;
        @Nullable
        @JsonProperty("parent_id")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = CURRENT_ONLY)
        private String parentId;

        boolean given(String field) {
            return given.contains(field);
        }

        @Nullable
        public String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
            given.add("name");
        }

        @Nullable
        public Integer getType() {
            return type;
        }

        public void setType(@Nullable Integer type) {
            this.type = type;
            given.add("type");
        }

        @Nullable
        public String getParentId() {
            return parentId;
        }

        public void setParentId(@Nullable String parentId) {
            this.parentId = parentId;
            given.add("parent_id");
        }
    }

    /** A node as answered ({@code parent_id} null for an Apex); {@code operator_secret} only in the creation answer. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String id,
                @JsonProperty("parent_id") @Nullable String parentId,
                String name, int type, String path,
                @JsonProperty("int_id") long intId,
                @JsonProperty("created_at") String createdAt,
                @JsonProperty("updated_at") String updatedAt,
                @JsonProperty("operator_secret") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String operatorSecret) {

        static View of(Node node) {
            return of(node, null);
        }

        static View of(Node node, @Nullable String operatorSecret) {
            return new View(node.id(), node.parentId(), node.name(), node.type(), node.path(), node.intId(),
                    DateTimeFormatter.ISO_INSTANT.format(node.createdAt()), DateTimeFormatter.ISO_INSTANT.format(node.updatedAt()),
                    operatorSecret);
        }
    }

    /** {@code GET /nodes/{id}/children}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page(List<View> nodes, long total, int page, @JsonProperty("per_page") int perPage) {
    }
}
