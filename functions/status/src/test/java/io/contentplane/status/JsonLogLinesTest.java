package io.contentplane.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentplane.domain.lambda.LambdaLogContext;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The functions log one JSON object per line (domain's JsonLogging on logback) carrying the Lambda
 * request id, function name and version of the invocation that wrote it. A status request against a
 * database without its schema fails, and the error the Argus shape logs for the 500 is such a line.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonLogLinesTest implements TestPropertyProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        // A database of this test's own (its schema is dropped below).
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", "e40efce4-38a3-46c4-a202-e8db95d0409c");
        return props;
    }

    @Test
    void aFailedRequestIsLoggedAsJsonWithItsRequestIdAndFunction() throws IOException, SQLException {
        // No schema: the status query fails, and the failure is logged.
        String url = context.getRequiredProperty("datasources.default.url", String.class);
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP ALL OBJECTS");
        }
        StatusFunction handler = new StatusFunction(context);
        Context invocation = LambdaEvents.context();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        APIGatewayProxyResponseEvent response;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response = handler.handleRequest(LambdaEvents.request("GET", "/api/v1/status", Map.of(), null), invocation);
        } finally {
            System.setErr(stderr);
        }
        assertEquals(500, response.getStatusCode(), response.getBody());
        assertEquals("exception", JSON.readTree(response.getBody()).get("type").asText());

        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line); // every line is JSON
                assertTrue(node.isObject(), line);
                lines.add(node);
            }
        }
        JsonNode failure = lines.stream()
                .filter(l -> l.path("loggerName").asText().endsWith("ArgusErrorShape"))
                .findFirst().orElseThrow(() -> new AssertionError("no ArgusErrorShape line in " + lines));
        assertEquals("ERROR", failure.get("level").asText());
        assertTrue(failure.get("formattedMessage").asText().startsWith("GET /api/v1/status failed: "), failure.toString());
        JsonNode mdc = failure.get("mdc");
        assertEquals(invocation.getAwsRequestId(), mdc.get("requestId").asText(), failure.toString());
        assertEquals(invocation.getFunctionName(), mdc.get("functionName").asText());
        assertEquals(invocation.getFunctionVersion(), mdc.get("functionVersion").asText());
        assertFalse(failure.has("arguments"), "message arguments are not written apart: " + failure);
        // The invocation's identity does not outlive it.
        assertNull(MDC.get(LambdaLogContext.REQUEST_ID));
    }
}
