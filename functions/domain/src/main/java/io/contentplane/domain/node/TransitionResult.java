package io.contentplane.domain.node;

/** Outcome of a state change requested by an operator. */
public enum TransitionResult {
    /** The change was made. */
    DONE,
    /** The node was already in the requested state. */
    ALREADY,
    /** The node is shutting down, so the public API cannot be switched. */
    SHUTTING_DOWN,
    /** The node is shut down (only boot brings it back). */
    SHUT_DOWN,
    /** Boot was asked of a node that is running. */
    NOT_SHUT_DOWN,
    /** No such node. */
    UNKNOWN_NODE
}
