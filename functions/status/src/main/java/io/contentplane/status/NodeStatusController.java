package io.contentplane.status;

import io.contentplane.domain.BuildInfo;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.NodeControlState;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node public API (Argus-compatible subset): {@code GET /api/v1/status} and {@code /api/v1/buckets}
 * for the default node, {@code /api/v1/nodes/{nodeId}/status|buckets} for any node. No authentication.
 * While the public API is stopped, or the node is shutting down or shut down, both answer 503 with
 * {@code Retry-After} (Argus refuses the connection; a gateway cannot, so 503 is its honest counterpart).
 * Each request reads the parameter table: a change made through the operator API shows at once.
 */
@Controller("/api/v1")
public class NodeStatusController {
    static final int RETRY_AFTER_SECONDS = 30;
    private static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9-]{1,64}$");

    private final NodeControlService nodes;
    private final String defaultNodeId;

    public NodeStatusController(NodeControlService nodes, @Value("${node.id:}") String defaultNodeId) {
        this.nodes = nodes;
        this.defaultNodeId = defaultNodeId;
    }

    @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> status() {
        return status(defaultNodeId);
    }

    @Get(uri = "/buckets", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> buckets() {
        return buckets(defaultNodeId);
    }

    @Get(uri = "/nodes/{nodeId}/status", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> status(@PathVariable String nodeId) {
        Optional<NodeControlState> found = lookup(nodeId);
        if (found.isEmpty() || !found.get().publicApiAvailable()) {
            return refusal(found);
        }
        NodeControlState state = found.get();
        return HttpResponse.ok(new NodeStatus(
                state.nodeId(),
                BuildInfo.version(),
                state.workerId(),
                Math.max(0, Duration.between(state.bootedAt(), Instant.now()).toSeconds()),
                state.apiState().name(),
                state.lifecycle().name()));
    }

    /**
     * Argus's answer: {@code {"bucketIds":[...]}} when buckets are set (as the operator gave them),
     * else {@code {"allByWorkerId":<workerId>}} when a worker is set, else {@code {"bucketIds":[]}}.
     */
    @Get(uri = "/nodes/{nodeId}/buckets", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> buckets(@PathVariable String nodeId) {
        Optional<NodeControlState> found = lookup(nodeId);
        if (found.isEmpty() || !found.get().publicApiAvailable()) {
            return refusal(found);
        }
        NodeControlState state = found.get();
        String body;
        if (state.buckets() != null) {
            body = "{\"bucketIds\":" + state.buckets() + "}"; // a JSON array the operator API wrote
        } else if (state.workerId() != null) {
            body = "{\"allByWorkerId\":" + state.workerId() + "}";
        } else {
            body = "{\"bucketIds\":[]}";
        }
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private Optional<NodeControlState> lookup(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            return Optional.empty();
        }
        return nodes.find(nodeId);
    }

    /** Why a node's public API does not answer: unknown (404) or unavailable (503). */
    private static HttpResponse<?> refusal(Optional<NodeControlState> state) {
        if (state.isEmpty()) {
            return HttpResponse.status(HttpStatus.NOT_FOUND).body(new PublicApiError("not_found", "Node not found"));
        }
        String message = switch (state.get().lifecycle()) {
            case SHUTTING_DOWN -> "Node is shutting down";
            case SHUT_DOWN -> "Node is shut down";
            case RUNNING -> "Public API is stopped";
        };
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
                .body(new PublicApiError("unavailable", message));
    }
}
