package io.contentplane.operator;

import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.TransitionResult;
import io.contentplane.operator.OperatorAuthenticator.AuthenticatedRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The Argus node operator API: {@code POST /api/v1/stop-api}, {@code start-api}, {@code shutdown},
 * {@code set-worker}, {@code set-buckets}, and our {@code boot}. Each request is authenticated
 * (401) before its body is validated (400); success is 200 with an empty body.
 */
@Controller("/api/v1")
public class OperatorController {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);

    private final OperatorAuthenticator authenticator;
    private final NodeControlService nodes;
    private final JsonMapper json;

    public OperatorController(OperatorAuthenticator authenticator, NodeControlService nodes, JsonMapper json) {
        this.authenticator = authenticator;
        this.nodes = nodes;
        this.json = json;
    }

    @Post(uri = "/stop-api", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> stopApi(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        OperatorBodies.requireEmpty(auth.body());
        return answer(nodes.stopApi(auth.nodeId()), "Already stopped");
    }

    @Post(uri = "/start-api", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> startApi(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        OperatorBodies.requireEmpty(auth.body());
        return answer(nodes.startApi(auth.nodeId()), "Already started");
    }

    @Post(uri = "/shutdown", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> shutdown(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        OperatorBodies.requireEmpty(auth.body());
        TransitionResult result = nodes.shutdown(auth.nodeId());
        return result == TransitionResult.SHUT_DOWN
                ? conflict("Already shut down") : answer(result, "Already shutting down");
    }

    /** Our extension: brings a shut-down node back (the serverless counterpart of restarting Argus). */
    @Post(uri = "/boot", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> boot(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        OperatorBodies.requireEmpty(auth.body());
        return answer(nodes.boot(auth.nodeId()), "Node is not shut down");
    }

    @Post(uri = "/set-worker", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> setWorker(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        long workerId = OperatorBodies.workerId(auth.body());
        return nodes.setWorker(auth.nodeId(), workerId) ? HttpResponse.ok() : unknownNode();
    }

    @Post(uri = "/set-buckets", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> setBuckets(HttpRequest<?> request, @Body @Nullable String body) throws OperatorRequestException {
        AuthenticatedRequest auth = authenticate(request, body);
        List<Object> buckets = OperatorBodies.buckets(auth.body());
        String stored;
        try {
            stored = buckets == null ? null : json.writeValueAsString(buckets);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode buckets", e);
        }
        return nodes.setBuckets(auth.nodeId(), stored) ? HttpResponse.ok() : unknownNode();
    }

    /** {@code body} is the raw text: its JSON is compared with the token's {@code reqBody} before validation. */
    private AuthenticatedRequest authenticate(HttpRequest<?> request, @Nullable String body) throws OperatorRequestException {
        URI uri = request.getUri();
        String reqUrl = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return authenticator.authenticate(request.getHeaders().get(HttpHeaders.AUTHORIZATION), reqUrl, body);
    }

    private static HttpResponse<?> answer(TransitionResult result, String alreadyMessage) {
        return switch (result) {
            case DONE -> HttpResponse.ok();
            case ALREADY, NOT_SHUT_DOWN -> conflict(alreadyMessage);
            case SHUTTING_DOWN -> conflict("Node is shutting down");
            case SHUT_DOWN -> conflict("Node is shut down; boot it first (POST /api/v1/boot)");
            case UNKNOWN_NODE -> unknownNode();
        };
    }

    private static HttpResponse<?> conflict(String message) {
        return HttpResponse.status(HttpStatus.CONFLICT).body(new OperatorConflict(message));
    }

    private static HttpResponse<?> unknownNode() {
        return HttpResponse.status(HttpStatus.NOT_FOUND).body(OperatorError.validation("Node not found"));
    }

    @Error
    HttpResponse<OperatorError> refused(OperatorRequestException e) {
        return HttpResponse.<OperatorError>status(e.status()).body(e.body());
    }

    @Error
    HttpResponse<OperatorError> unexpected(HttpRequest<?> request, Throwable e) {
        // Class name only: messages of lower layers may carry values we must not log.
        LOG.error("Operator request {} {} failed: {}", request.getMethodName(), request.getPath(), e.getClass().getName());
        return HttpResponse.<OperatorError>status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(new OperatorError("exception", "Unexpected server error", null));
    }
}
