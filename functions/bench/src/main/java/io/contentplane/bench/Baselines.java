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

    /**
     * An environment variable or, failing that, the system property of the same name: WarmBench
     * runs the baselines inside its own JVM, where it can set properties but not the environment.
     */
    static String requiredEnv(String name) {
        String value = env(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
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

    /**
     * A handler's one plain JDBC connection, opened by its first request and held for the next, as
     * a warm Lambda handler keeps it (the functions' pool keeps theirs too). A request that fails
     * on it discards it, so no half-done transaction reaches the next one.
     */
    static final class HeldConnection {
        private Connection connection;

        Connection get() throws SQLException {
            if (connection == null || connection.isClosed()) {
                String password = env("JDBC_PASSWORD");
                connection = DriverManager.getConnection(requiredEnv("JDBC_URL"), requiredEnv("JDBC_USER"),
                        password == null ? "" : password);
            }
            return connection;
        }

        void discard() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // already broken: nothing more to release
                }
                connection = null;
            }
        }
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
