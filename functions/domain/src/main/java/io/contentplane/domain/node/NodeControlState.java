package io.contentplane.domain.node;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A node's control state as read from the parameter table, with the lifecycle already resolved
 * (a node SHUTTING_DOWN for longer than the grace period is SHUT_DOWN).
 *
 * @param buckets JSON array as the operator sent it, or null for "all buckets of the worker"
 * @param bootedAt when the node last became RUNNING (registration or boot)
 * @param dataPlane what the node's data plane last reported ({@link DataPlane#NONE} if never)
 * @param dataPlaneReportedAt when it reported, null if never
 */
public record NodeControlState(
        String nodeId,
        ApiState apiState,
        Lifecycle lifecycle,
        @Nullable Long workerId,
        @Nullable String buckets,
        Instant bootedAt,
        Instant lifecycleChangedAt,
        DataPlane dataPlane,
        @Nullable Instant dataPlaneReportedAt) {

    /** The public API answers only while it is started and the node runs. */
    public boolean publicApiAvailable() {
        return apiState == ApiState.STARTED && lifecycle == Lifecycle.RUNNING;
    }
}
