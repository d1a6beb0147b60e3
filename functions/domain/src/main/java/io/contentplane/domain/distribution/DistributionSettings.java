package io.contentplane.domain.distribution;

import io.micronaut.core.annotation.Nullable;

/**
 * What a client sets on a distribution. {@code projectName} is set exactly for scope PROJECT and
 * {@code environmentId} exactly for ENVIRONMENT; {@code identifier} is null only in a create request
 * that leaves it to be generated from the name.
 */
public record DistributionSettings(
        String name,
        @Nullable String identifier,
        boolean disabled,
        DistributionScope scope,
        @Nullable String projectName,
        @Nullable String environmentId,
        Permissions permissions) {

    /** The owner within the workspace whose distributions must not share an identifier. */
    String owner() {
        return switch (scope) {
            case WORKSPACE -> "";
            case PROJECT -> projectName;
            case ENVIRONMENT -> environmentId;
        };
    }
}
