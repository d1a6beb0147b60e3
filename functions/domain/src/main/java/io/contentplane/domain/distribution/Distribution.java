package io.contentplane.domain.distribution;

import java.time.Instant;

/** A workspace's distribution: an opaque id, the client's settings, and the version updates check. */
public record Distribution(
        String id,
        String workspace,
        DistributionSettings settings,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
