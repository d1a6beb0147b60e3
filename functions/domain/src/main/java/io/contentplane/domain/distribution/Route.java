package io.contentplane.domain.distribution;

import java.time.Instant;

/** One route of a distribution. */
public record Route(
        String id,
        String distributionId,
        String workspace,
        RouteSettings settings,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
