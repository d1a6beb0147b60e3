package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Baseline for the status function: {@code GET /api/v1/status} written by hand, without a
 * framework. One SELECT of the node's parameters, answered as the function answers.
 */
public class BareStatusHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final String NODE_PARAMETERS =
            "SELECT param_name, param_value, updated_at FROM node_parameter WHERE node_id = ?";

    private final String nodeId = Baselines.requiredEnv("NODE_ID");
    private final Baselines.HeldConnection connection = new Baselines.HeldConnection();

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String apiState = null;
        String lifecycle = null;
        LocalDateTime lifecycleChanged = null;
        String workerId = null;
        try (PreparedStatement select = connection.get().prepareStatement(NODE_PARAMETERS)) {
            select.setString(1, nodeId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    switch (rows.getString("param_name")) {
                        case "api_state" -> apiState = rows.getString("param_value");
                        case "lifecycle" -> {
                            lifecycle = rows.getString("param_value");
                            // The functions store UTC wall-clock time in a TIMESTAMP column.
                            lifecycleChanged = rows.getObject("updated_at", LocalDateTime.class);
                        }
                        case "worker_id" -> workerId = rows.getString("param_value");
                        default -> {
                            // buckets and the operator secret are not part of the status
                        }
                    }
                }
            }
        } catch (SQLException e) {
            connection.discard();
            throw new IllegalStateException("status query failed", e);
        }

        if (apiState == null || lifecycle == null) {
            return Baselines.error(404, "not_found", "Node not found");
        }
        if (!apiState.equals("STARTED") || !lifecycle.equals("RUNNING")) {
            return Baselines.error(503, "unavailable", "Public API is unavailable");
        }
        long uptime = Duration.between(lifecycleChanged.toInstant(ZoneOffset.UTC), Instant.now()).toSeconds();
        ObjectNode status = Baselines.JSON.createObjectNode()
                .put("id", nodeId)
                .put("version", "0.1.0")
                .put("workerId", workerId == null ? null : Long.valueOf(workerId))
                .put("uptime", Math.max(0, uptime))
                .put("publicApi", apiState)
                .put("lifecycle", lifecycle);
        return Baselines.answer(200, status);
    }
}
