package io.contentplane.operator;

import io.contentplane.domain.argus.ArgusError;
import io.contentplane.domain.argus.ArgusException;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.node.TransitionResult;
import io.contentplane.domain.security.TokenAuthentications;
import io.contentplane.operator.body.OperationBody;
import io.contentplane.operator.body.ReportUsageBody;
import io.contentplane.operator.body.SetBucketsBody;
import io.contentplane.operator.body.SetWorkerBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Argus node operator API: {@code POST /api/v1/stop-api}, {@code start-api}, {@code shutdown},
 * {@code set-worker}, {@code set-buckets}, and our {@code boot}. Micronaut Security authenticates
 * each request with Argus's OperatorAuth (401) before its body is validated (400); the node is the
 * one the token addresses. An absent body reads as {@code {}}, as Express reads it. Success is 200 with an empty body; refusals are {@link ArgusException}s.
 */
@Controller("/api/v1")
@Secured(TokenAuthentications.OPERATOR)
public class OperatorController {
    /** An absent body (Netty binds none; the Lambda adapter passes {@code {}}). */
    private static final String NO_WORKER = "must have required property 'workerId'";
    private static final String NO_BODY = "must have required property 'objectsInCache'";

    private final NodeControlService nodes;
    private final JsonMapper json;

    public OperatorController(NodeControlService nodes, JsonMapper json) {
        this.nodes = nodes;
        this.json = json;
    }

    @Post("/stop-api")
    HttpResponse<Void> stopApi(Authentication node, @Body @Valid @Nullable OperationBody body) {
        return answer(nodes.stopApi(node.getName()), "Already stopped");
    }

    @Post("/start-api")
    HttpResponse<Void> startApi(Authentication node, @Body @Valid @Nullable OperationBody body) {
        return answer(nodes.startApi(node.getName()), "Already started");
    }

    @Post("/shutdown")
    HttpResponse<Void> shutdown(Authentication node, @Body @Valid @Nullable OperationBody body) {
        TransitionResult result = nodes.shutdown(node.getName());
        if (result == TransitionResult.SHUT_DOWN) {
            throw ArgusException.conflict("Already shut down");
        }
        return answer(result, "Already shutting down");
    }

    /** Our extension: brings a shut-down node back (the serverless counterpart of restarting Argus). */
    @Post("/boot")
    HttpResponse<Void> boot(Authentication node, @Body @Valid @Nullable OperationBody body) {
        return answer(nodes.boot(node.getName()), "Node is not shut down");
    }

    @Post("/set-worker")
    HttpResponse<Void> setWorker(Authentication node, @Body @Valid @NotNull(message = NO_WORKER) SetWorkerBody body) {
        return known(nodes.setWorker(node.getName(), body.worker()));
    }

    @Post("/set-buckets")
    HttpResponse<Void> setBuckets(Authentication node, @Body @Valid @Nullable SetBucketsBody body) {
        List<Object> ids = body == null ? null : body.ids();
        String stored;
        try {
            stored = ids == null ? null : json.writeValueAsString(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return known(nodes.setBuckets(node.getName(), stored));
    }

    /**
     * Our extension: the node's data plane reports the figures of Argus's {@code /status} it alone
     * can measure (objects in cache, storage limit and use, downloads in progress); the public
     * {@code /status} answers them from then on.
     */
    @Post("/report-usage")
    HttpResponse<Void> reportUsage(Authentication node, @Body @Valid @NotNull(message = NO_BODY) ReportUsageBody body) {
        return known(nodes.reportDataPlane(node.getName(), body.report()));
    }

    private static HttpResponse<Void> answer(TransitionResult result, String alreadyMessage) {
        return switch (result) {
            case DONE -> HttpResponse.ok();
            case ALREADY, NOT_SHUT_DOWN -> throw ArgusException.conflict(alreadyMessage);
            case SHUTTING_DOWN -> throw ArgusException.conflict("Node is shutting down");
            case SHUT_DOWN -> throw ArgusException.conflict("Node is shut down; boot it first (POST /api/v1/boot)");
            case UNKNOWN_NODE -> throw unknownNode();
        };
    }

    private static HttpResponse<Void> known(boolean changed) {
        if (!changed) {
            throw unknownNode();
        }
        return HttpResponse.ok();
    }

    private static ArgusException unknownNode() {
        return new ArgusException(HttpStatus.NOT_FOUND, ArgusError.validation("Node not found"));
    }
}
