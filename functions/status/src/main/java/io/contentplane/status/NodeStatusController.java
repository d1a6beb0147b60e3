package io.contentplane.status;

import io.contentplane.domain.BuildInfo;
import io.contentplane.domain.argus.ArgusError;
import io.contentplane.domain.argus.ArgusException;
import io.contentplane.domain.node.DataPlane;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.NodeControlState;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.security.PermitAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The node public API (Argus-compatible subset): {@code GET /api/v1/status} and {@code /api/v1/buckets}
 * for the default node, {@code /api/v1/nodes/{nodeId}/status|buckets} for any node. No authentication.
 * While the public API is stopped, or the node is shutting down or shut down, both answer 503 with
 * {@code Retry-After} (Argus refuses the connection; a gateway cannot, so 503 is its honest counterpart).
 * Each request reads the parameter table: a change made through the operator API shows at once.
 */
@Controller("/api/v1")
@PermitAll
public class NodeStatusController {
    static final int RETRY_AFTER_SECONDS = 30;
    private static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9-]{1,64}$");
    private static final Argument<List<Object>> BUCKET_IDS = Argument.listOf(Object.class);

    private final NodeControlService nodes;
    private final JsonMapper json;
    private final String defaultNodeId;

    public NodeStatusController(NodeControlService nodes, JsonMapper json, @Value("${node.id:}") String defaultNodeId) {
        this.nodes = nodes;
        this.json = json;
        this.defaultNodeId = defaultNodeId;
    }

    @Get("/status")
    NodeStatus status() {
        return status(defaultNodeId);
    }

    @Get("/buckets")
    NodeBuckets buckets() {
        return buckets(defaultNodeId);
    }

    @Get("/nodes/{nodeId}/status")
    NodeStatus status(@PathVariable String nodeId) {
        NodeControlState state = available(nodeId);
        DataPlane usage = state.dataPlane();
        return new NodeStatus(
                state.nodeId(),
                BuildInfo.version(),
                usage.objectsInCache(),
                usage.storageLimit(),
                usage.storageUsed(),
                Math.max(0, Duration.between(state.bootedAt(), Instant.now()).toSeconds()),
                usage.downloadsInProgress(),
                state.workerId(),
                state.apiState().name(),
                state.lifecycle().name(),
                state.dataPlaneReportedAt() == null ? null : state.dataPlaneReportedAt().toString());
    }

    @Get("/nodes/{nodeId}/buckets")
    NodeBuckets buckets(@PathVariable String nodeId) {
        NodeControlState state = available(nodeId);
        if (state.buckets() != null) {
            try {
                return NodeBuckets.of(json.readValue(state.buckets(), BUCKET_IDS)); // the JSON array the operator API wrote
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state.workerId() != null ? NodeBuckets.allByWorker(state.workerId()) : NodeBuckets.of(List.of());
    }

    /** The node's state if its public API answers; else why not: unknown (404) or unavailable (503). */
    private NodeControlState available(String nodeId) {
        NodeControlState state = nodeId != null && NODE_ID.matcher(nodeId).matches() ? nodes.find(nodeId).orElse(null) : null;
        if (state == null) {
            throw new ArgusException(HttpStatus.NOT_FOUND, new ArgusError("not_found", "Node not found", null));
        }
        if (!state.publicApiAvailable()) {
            String message = switch (state.lifecycle()) {
                case SHUTTING_DOWN -> "Node is shutting down";
                case SHUT_DOWN -> "Node is shut down";
                case RUNNING -> "Public API is stopped";
            };
            throw new ArgusException(HttpStatus.SERVICE_UNAVAILABLE, new ArgusError("unavailable", message, null),
                    RETRY_AFTER_SECONDS);
        }
        return state;
    }
}
