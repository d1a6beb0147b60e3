package io.contentplane.domain.event;

/** The event types delivered to distributors' webhooks. */
public final class EventTypes {
    public static final String NODE_API_STOPPED = "node.api.stopped";
    public static final String NODE_API_STARTED = "node.api.started";
    public static final String NODE_SHUTDOWN = "node.shutdown";
    public static final String NODE_BOOTED = "node.booted";
    public static final String NODE_WORKER_CHANGED = "node.worker.changed";
    public static final String NODE_BUCKETS_CHANGED = "node.buckets.changed";
    public static final String DISTRIBUTOR_CREATED = "distributor.created";
    public static final String DISTRIBUTOR_UPDATED = "distributor.updated";
    public static final String DISTRIBUTOR_DELETED = "distributor.deleted";

    private EventTypes() {
    }
}
