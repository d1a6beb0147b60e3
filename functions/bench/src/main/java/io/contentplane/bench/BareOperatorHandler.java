package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Baseline for the operator function: {@code POST /api/v1/set-worker} written by hand, without a
 * framework. It does the function's work (verify the operator JWT, validate the body, then in one
 * transaction the conditional UPDATE and, when it changed the worker, the outbox INSERT of its
 * {@code node.worker.changed} event) so that the difference in cold start is the framework's.
 */
public class BareOperatorHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final long MAX_AGE_SECONDS = 300;
    // As the function: the row changes only when the value does; an unchanged one is no event, and 404 only
    // when the node has no parameters at all.
    private static final String SET_WORKER = "UPDATE node_parameter SET param_value = ?, version = version + 1, "
            + "updated_at = ? WHERE node_id = ? AND param_name = 'worker_id' AND param_value IS DISTINCT FROM ?";
    private static final String NODE_EXISTS = "SELECT 1 FROM node_parameter WHERE node_id = ? LIMIT 1";
    private static final String APPEND_EVENT = "INSERT INTO event_outbox "
            + "(event_id, node_id, event_type, payload, occurred_at) VALUES (?,?,?,?,?)";
    private static final String WORKER_CHANGED = "node.worker.changed";

    private final byte[] secret = Baselines.requiredEnv("OPERATOR_HMAC_SECRET").getBytes(StandardCharsets.UTF_8);
    private final String nodeId = Baselines.requiredEnv("NODE_ID");
    private final Baselines.HeldConnection connection = new Baselines.HeldConnection();

    /** A refused request: the status to answer and the message of the error body. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long workerId;
        try {
            JsonNode body = verify(Baselines.header(event, "authorization"), event.getPath(), event.getBody(), secret,
                    Instant.now().getEpochSecond());
            workerId = workerId(body);
        } catch (Refused e) {
            return Baselines.error(e.status, "request_validation", e.getMessage());
        }
        // Microsecond precision, as the function keeps it (what PostgreSQL's TIMESTAMP stores).
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(now, ZoneOffset.UTC));
        try {
            Connection db = connection.get();
            db.setAutoCommit(false);
            try (PreparedStatement update = db.prepareStatement(SET_WORKER)) {
                update.setString(1, Long.toString(workerId));
                update.setTimestamp(2, at);
                update.setString(3, nodeId);
                update.setString(4, Long.toString(workerId));
                if (update.executeUpdate() != 1) {
                    boolean exists;
                    try (PreparedStatement node = db.prepareStatement(NODE_EXISTS)) {
                        node.setString(1, nodeId);
                        try (ResultSet rows = node.executeQuery()) {
                            exists = rows.next();
                        }
                    }
                    db.commit();
                    return exists ? Baselines.answer(200, "") : Baselines.error(404, "request_validation", "Node not found");
                }
            }
            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
            try (PreparedStatement append = db.prepareStatement(APPEND_EVENT)) {
                append.setString(1, eventId);
                append.setString(2, nodeId);
                append.setString(3, WORKER_CHANGED);
                append.setString(4, workerChanged(eventId, nodeId, now, workerId));
                append.setTimestamp(5, at);
                append.executeUpdate();
            }
            db.commit();
            return Baselines.answer(200, "");
        } catch (SQLException e) {
            connection.discard();
            throw new IllegalStateException("set-worker failed", e);
        }
    }

    /** The event's delivered payload, built as the function's NodeEvent builds it. */
    static String workerChanged(String eventId, String nodeId, Instant occurredAt, long workerId) {
        ObjectNode payload = Baselines.JSON.createObjectNode()
                .put("id", eventId)
                .put("type", WORKER_CHANGED)
                .put("node_id", nodeId)
                .put("occurred_at", DateTimeFormatter.ISO_INSTANT.format(occurredAt));
        payload.putObject("data").put("worker_id", workerId);
        return payload.toString();
    }

    /**
     * Verifies an operator token as the function does and returns the parsed request body.
     * Every token failure is 401; a body that is not JSON is 400 (an absent body is {@code {}}).
     */
    static JsonNode verify(String authorization, String requestPath, String rawBody, byte[] secret, long nowSeconds)
            throws Refused {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Authorization token is missing");
        }
        String[] scheme = authorization.trim().split("\\s+");
        if (scheme.length != 2 || !scheme[0].equalsIgnoreCase("bearer")) {
            throw unauthorized("Authorization header must be 'Bearer <token>'");
        }
        String[] parts = scheme[1].split("\\.", -1);
        if (parts.length != 3) {
            throw unauthorized("Invalid token: jwt malformed");
        }
        JsonNode header = decodeObject(parts[0]);
        JsonNode claims = decodeObject(parts[1]);
        if (!"HS256".equals(header.path("alg").asText(null))) {
            throw unauthorized("Invalid token: invalid algorithm");
        }
        byte[] expected = Baselines.hmacSha256(secret, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw unauthorized("Invalid token: invalid signature");
        }
        if (!MessageDigest.isEqual(expected, signature)) {
            throw unauthorized("Invalid token: invalid signature");
        }
        JsonNode iat = claims.get("iat");
        if (iat == null || !iat.isNumber()) {
            throw unauthorized("Invalid token: iat required when maxAge is specified");
        }
        if (nowSeconds - iat.asLong() > MAX_AGE_SECONDS) {
            throw unauthorized("Invalid token: maxAge exceeded");
        }
        // Like the function, exp is optional; when given it must lie in the future.
        JsonNode exp = claims.get("exp");
        if (exp != null && (!exp.isNumber() || nowSeconds >= exp.asLong())) {
            throw unauthorized("Invalid token: jwt expired");
        }
        if (!requestPath.equals(claims.path("reqUrl").asText(null))) {
            throw unauthorized("Invalid token: req.originalUrl mismatch");
        }
        JsonNode body = parseBody(rawBody);
        if (!body.equals(claims.get("reqBody"))) {
            throw unauthorized("Invalid token: req.body mismatch");
        }
        return body;
    }

    private static long workerId(JsonNode body) throws Refused {
        JsonNode workerId = body.get("workerId");
        if (workerId == null || !workerId.canConvertToExactIntegral() || !workerId.canConvertToLong()
                || workerId.asLong() < 0) {
            throw new Refused(400, "request.body.workerId must be an integer >= 0");
        }
        return workerId.asLong();
    }

    private static JsonNode decodeObject(String part) throws Refused {
        try {
            JsonNode node = Baselines.JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw unauthorized("Invalid token: jwt malformed");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw unauthorized("Invalid token: jwt malformed");
        }
    }

    private static JsonNode parseBody(String rawBody) throws Refused {
        if (rawBody == null || rawBody.isBlank()) {
            return Baselines.JSON.createObjectNode();
        }
        try {
            return Baselines.JSON.readTree(rawBody);
        } catch (JsonProcessingException e) {
            throw new Refused(400, "Request body is not valid JSON");
        }
    }

    private static Refused unauthorized(String message) {
        return new Refused(401, message);
    }
}
