package io.contentplane.domain.node;

/** Whether the node's public API (status, buckets) answers. */
public enum ApiState {
    STARTED,
    STOPPED
}
