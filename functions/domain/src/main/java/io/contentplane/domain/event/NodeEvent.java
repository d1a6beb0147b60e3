package io.contentplane.domain.event;

import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A change worth telling a node's distributors about. Its delivered payload is
 * {@code {id, type, node_id, occurred_at, data}} with the new values in {@code data}.
 */
public record NodeEvent(String id, String type, String nodeId, Instant occurredAt, Map<String, Object> data) {

    public static NodeEvent of(String type, String nodeId, Instant occurredAt, Map<String, Object> data) {
        return new NodeEvent("evt_" + UUID.randomUUID().toString().replace("-", ""), type, nodeId, occurredAt, data);
    }

    public String payload(JsonMapper json) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("node_id", nodeId);
        body.put("occurred_at", DateTimeFormatter.ISO_INSTANT.format(occurredAt));
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
