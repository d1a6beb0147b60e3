package io.contentplane.domain.node;

import io.contentplane.domain.crypto.SecretCipher;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.event.NodeEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.contentplane.domain.node.NodeParameterName.API_STATE;
import static io.contentplane.domain.node.NodeParameterName.BUCKETS;
import static io.contentplane.domain.node.NodeParameterName.DATA_PLANE;
import static io.contentplane.domain.node.NodeParameterName.LIFECYCLE;
import static io.contentplane.domain.node.NodeParameterName.OPERATOR_SECRET;
import static io.contentplane.domain.node.NodeParameterName.WORKER_ID;

/**
 * Node control state on the parameter table. Every change is a single conditional UPDATE (or a
 * transaction of them), so racing callers cannot both succeed and no write is lost.
 * When an UPDATE matches nothing, the state is read afterwards only to say why.
 * Each change that happens appends its event to the outbox in the same transaction: an event
 * exists if and only if its change committed.
 */
// Only in functions that ship the JDBC stack (the repositories it uses are @Requires the same class).
@Requires(classes = JdbcOperations.class)
@Singleton
public class NodeControlService {
    private final NodeParameterRepository parameters;
    private final EventOutboxRepository outbox;
    private final JsonMapper json;
    private final SecretCipher cipher;
    private final Duration shutdownGrace;
    private final Clock clock;

    public NodeControlService(NodeParameterRepository parameters, EventOutboxRepository outbox, JsonMapper json,
                              SecretCipher cipher,
                              @Value("${node.shutdown-grace:5s}") Duration shutdownGrace,
                              @Nullable Clock clock) {
        this.parameters = parameters;
        this.outbox = outbox;
        this.json = json;
        this.cipher = cipher;
        this.shutdownGrace = shutdownGrace;
        this.clock = clock != null ? clock : Clock.systemUTC();
    }

    /**
     * Registers a node: started, running, no worker, all buckets. A node that exists keeps its
     * state; its operator secret is replaced when one is given.
     */
    @Transactional
    public void register(String nodeId, @Nullable String operatorSecret) {
        LocalDateTime now = now();
        parameters.insertIfAbsent(nodeId, API_STATE, ApiState.STARTED.name(), now);
        parameters.insertIfAbsent(nodeId, LIFECYCLE, Lifecycle.RUNNING.name(), now);
        parameters.insertIfAbsent(nodeId, WORKER_ID, null, now);
        parameters.insertIfAbsent(nodeId, BUCKETS, null, now);
        parameters.insertIfAbsent(nodeId, DATA_PLANE, null, now);
        String sealed = operatorSecret == null ? null : cipher.encrypt(operatorSecret, secretContext(nodeId));
        if (parameters.insertIfAbsent(nodeId, OPERATOR_SECRET, sealed, now) == 0 && sealed != null) {
            parameters.set(nodeId, OPERATOR_SECRET, sealed, now);
        }
    }

    public Optional<NodeControlState> find(String nodeId) {
        List<NodeParameter> rows = parameters.findAllOfNode(nodeId);
        ApiState api = null;
        String lifecycle = null;
        LocalDateTime lifecycleChanged = null;
        Long worker = null;
        String buckets = null;
        DataPlane dataPlane = DataPlane.NONE;
        Instant dataPlaneReportedAt = null;
        for (NodeParameter row : rows) {
            switch (row.key().name()) {
                case API_STATE -> api = ApiState.valueOf(row.value());
                case LIFECYCLE -> {
                    lifecycle = row.value();
                    lifecycleChanged = row.updatedAt();
                }
                case WORKER_ID -> worker = row.value() == null ? null : Long.valueOf(row.value());
                case BUCKETS -> buckets = row.value();
                case DATA_PLANE -> {
                    dataPlane = readDataPlane(row.value());
                    dataPlaneReportedAt = row.value() == null ? null : row.updatedAt().toInstant(ZoneOffset.UTC);
                }
                default -> {
                    // operator secret and future parameters are not part of the public state
                }
            }
        }
        if (api == null || lifecycle == null) {
            return Optional.empty();
        }
        Instant changed = lifecycleChanged.toInstant(ZoneOffset.UTC);
        Lifecycle effective = effectiveLifecycle(Lifecycle.valueOf(lifecycle), changed);
        return Optional.of(new NodeControlState(nodeId, api, effective, worker, buckets, changed, changed,
                dataPlane, dataPlaneReportedAt));
    }

    /** The node's operator secret in plain text, for verifying its tokens; never log or return it. */
    public Optional<String> operatorSecret(String nodeId) {
        List<String> values = parameters.findValue(nodeId, OPERATOR_SECRET);
        if (values.isEmpty() || values.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(cipher.decrypt(values.get(0), secretContext(nodeId)));
    }

    @Transactional
    public TransitionResult stopApi(String nodeId) {
        return switchApi(nodeId, ApiState.STARTED, ApiState.STOPPED, EventTypes.NODE_API_STOPPED);
    }

    @Transactional
    public TransitionResult startApi(String nodeId) {
        return switchApi(nodeId, ApiState.STOPPED, ApiState.STARTED, EventTypes.NODE_API_STARTED);
    }

    private TransitionResult switchApi(String nodeId, ApiState from, ApiState to, String eventType) {
        LocalDateTime now = now();
        int changed = parameters.transitionWhileLifecycle(nodeId, API_STATE, from.name(), to.name(),
                Lifecycle.RUNNING.name(), now);
        if (changed == 1) {
            record(eventType, nodeId, now, Map.of("public_api", to.name()));
            return TransitionResult.DONE;
        }
        return find(nodeId).map(state -> switch (state.lifecycle()) {
            case SHUTTING_DOWN -> TransitionResult.SHUTTING_DOWN;
            case SHUT_DOWN -> TransitionResult.SHUT_DOWN;
            case RUNNING -> TransitionResult.ALREADY;
        }).orElse(TransitionResult.UNKNOWN_NODE);
    }

    @Transactional
    public TransitionResult shutdown(String nodeId) {
        LocalDateTime now = now();
        int changed = parameters.transition(nodeId, LIFECYCLE, Lifecycle.RUNNING.name(),
                Lifecycle.SHUTTING_DOWN.name(), now);
        if (changed == 1) {
            record(EventTypes.NODE_SHUTDOWN, nodeId, now, Map.of("lifecycle", Lifecycle.SHUTTING_DOWN.name(),
                    "shut_down_after_seconds", shutdownGrace.toSeconds()));
            return TransitionResult.DONE;
        }
        return find(nodeId).map(state -> state.lifecycle() == Lifecycle.SHUT_DOWN
                ? TransitionResult.SHUT_DOWN : TransitionResult.ALREADY).orElse(TransitionResult.UNKNOWN_NODE);
    }

    /** Brings a shut-down node back: running, public API started, uptime from now. */
    @Transactional
    public TransitionResult boot(String nodeId) {
        LocalDateTime now = now();
        LocalDateTime shutDownBy = now.minus(shutdownGrace);
        int changed = parameters.transitionIfUnchangedSince(nodeId, LIFECYCLE, Lifecycle.SHUTTING_DOWN.name(),
                Lifecycle.RUNNING.name(), shutDownBy, now);
        if (changed == 1) {
            parameters.set(nodeId, API_STATE, ApiState.STARTED.name(), now);
            record(EventTypes.NODE_BOOTED, nodeId, now, Map.of("lifecycle", Lifecycle.RUNNING.name(),
                    "public_api", ApiState.STARTED.name()));
            return TransitionResult.DONE;
        }
        return find(nodeId).map(state -> state.lifecycle() == Lifecycle.SHUTTING_DOWN
                ? TransitionResult.SHUTTING_DOWN : TransitionResult.NOT_SHUT_DOWN).orElse(TransitionResult.UNKNOWN_NODE);
    }

    /** Sets the worker; {@code false} when the node does not exist. */
    @Transactional
    public boolean setWorker(String nodeId, long workerId) {
        LocalDateTime now = now();
        if (parameters.change(nodeId, WORKER_ID, Long.toString(workerId), now) != 1) {
            return exists(nodeId); // unchanged: 200 without an event (a replayed call cannot flood the outbox)
        }
        record(EventTypes.NODE_WORKER_CHANGED, nodeId, now, Map.of("worker_id", workerId));
        return true;
    }

    /**
     * Sets the buckets (a JSON array kept as given), or null for "all buckets of the worker";
     * {@code false} when the node does not exist.
     */
    @Transactional
    public boolean setBuckets(String nodeId, @Nullable String bucketsJson) {
        LocalDateTime now = now();
        if (parameters.change(nodeId, BUCKETS, bucketsJson, now) != 1) {
            return exists(nodeId); // the same buckets (as written) again: no event
        }
        Map<String, Object> data = new HashMap<>();
        data.put("buckets", parseList(bucketsJson)); // null: all buckets of the worker
        record(EventTypes.NODE_BUCKETS_CHANGED, nodeId, now, data);
        return true;
    }

    /**
     * Records what the node's data plane reports about itself: one UPDATE of the row registration
     * made;
     * {@code false} when the node does not exist. A measurement, not a change of the control state:
     * no event (reports come often and would flood the distributors' webhooks).
     */
    @Transactional
    public boolean reportDataPlane(String nodeId, DataPlane report) {
        LocalDateTime now = now();
        String value;
        try {
            value = json.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Registration inserts the row, and migration V3 gave it to the nodes registered before.
        return parameters.set(nodeId, DATA_PLANE, value, now) == 1;
    }

    private DataPlane readDataPlane(@Nullable String value) {
        if (value == null) {
            return DataPlane.NONE;
        }
        try {
            return json.readValue(value, DataPlane.class);
        } catch (IOException e) {
            throw new IllegalStateException("Stored data plane report is not valid", e);
        }
    }

    private boolean exists(String nodeId) {
        return !parameters.findAllOfNode(nodeId).isEmpty();
    }

    /** Appends the event of a change to the outbox, inside the change's transaction. */
    private void record(String type, String nodeId, LocalDateTime at, Map<String, Object> data) {
        NodeEvent event = NodeEvent.of(type, nodeId, at.toInstant(ZoneOffset.UTC), data);
        outbox.append(event.id(), nodeId, type, event.payload(json), at);
    }

    @Nullable
    private List<Object> parseList(@Nullable String jsonArray) {
        if (jsonArray == null) {
            return null;
        }
        try {
            return json.readValue(jsonArray, Argument.listOf(Object.class));
        } catch (IOException e) {
            throw new IllegalStateException("Stored buckets are not a JSON array", e);
        }
    }

    Lifecycle effectiveLifecycle(Lifecycle stored, Instant changedAt) {
        if (stored == Lifecycle.SHUTTING_DOWN && !clock.instant().isBefore(changedAt.plus(shutdownGrace))) {
            return Lifecycle.SHUT_DOWN;
        }
        return stored;
    }

    private LocalDateTime now() {
        // Microsecond precision: what both H2 and PostgreSQL TIMESTAMP columns keep.
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static String secretContext(String nodeId) {
        return "node:" + nodeId + ":" + OPERATOR_SECRET;
    }
}
