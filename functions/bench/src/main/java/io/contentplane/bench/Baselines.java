package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** What the hand-written baselines share: configuration from the environment, HMAC, JDBC and answers. */
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

    /** A request header as API Gateway passes it, under whatever case the client used. */
    static String header(APIGatewayProxyRequestEvent event, String name) {
        Map<String, List<String>> multi = event.getMultiValueHeaders();
        if (multi != null) {
            for (Map.Entry<String, List<String>> h : multi.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && h.getValue() != null && !h.getValue().isEmpty()) {
                    return h.getValue().get(0);
                }
            }
        }
        Map<String, String> single = event.getHeaders();
        if (single != null) {
            for (Map.Entry<String, String> h : single.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
        }
        return null;
    }

    static byte[] hmacSha256(byte[] secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
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
