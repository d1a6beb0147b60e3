package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** What both hand-written baselines share: configuration from the environment, JDBC and answers. */
final class Baselines {
    static final ObjectMapper JSON = new ObjectMapper();

    private Baselines() {
    }

    static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value;
    }

    /** A cold start answers exactly one request, so one plain connection is all a baseline needs. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(requiredEnv("JDBC_URL"), requiredEnv("JDBC_USER"),
                System.getenv().getOrDefault("JDBC_PASSWORD", ""));
    }

    static APIGatewayProxyResponseEvent answer(int status, String body) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body);
    }

    static APIGatewayProxyResponseEvent answer(int status, JsonNode body) {
        return answer(status, body.toString());
    }

    /** The functions' error body: {@code {"type":"...","message":"..."}}. */
    static APIGatewayProxyResponseEvent error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", type).put("message", message);
        return answer(status, body);
    }
}
