package io.contentplane.domain.node;

/**
 * Node lifecycle. {@code SHUT_DOWN} is never stored: a node is shut down once it has been
 * {@code SHUTTING_DOWN} for the configured grace period, so no timer or scheduler is needed.
 */
public enum Lifecycle {
    RUNNING,
    SHUTTING_DOWN,
    SHUT_DOWN
}
