package io.contentplane.domain.node;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What a node's data plane (the distributor process that caches and serves objects) last reported
 * about itself: Argus's {@code objectsInCache}, {@code storageLimit} (bytes it may use),
 * {@code storageUsed} (bytes) and {@code downloadsInProgress}. The control plane cannot measure
 * these; the node reports them through the operator API ({@code POST /api/v1/report-usage}).
 */
@Serdeable
public record DataPlane(long objectsInCache, long storageLimit, long storageUsed, long downloadsInProgress) {
    /** A node whose data plane never reported: nothing cached, no storage, nothing downloading. */
    public static final DataPlane NONE = new DataPlane(0, 0, 0, 0);
}
