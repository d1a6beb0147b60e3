package io.contentplane.domain.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway REST API (payload 1.0) events for handler tests: read from the functions' events/
 * files, or built the same way (headers in both {@code headers} and {@code multiValueHeaders},
 * as API Gateway sends them).
 */
public final class LambdaEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LambdaEvents() {
    }

    public static APIGatewayProxyRequestEvent read(Path file) {
        try {
            return MAPPER.readValue(Files.readAllBytes(file), APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event JSON as a tree, to inspect or to rewrite a header before replaying. */
    public static ObjectNode tree(Path file) {
        try {
            return (ObjectNode) MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static APIGatewayProxyRequestEvent fromTree(ObjectNode tree) {
        return MAPPER.convertValue(tree, APIGatewayProxyRequestEvent.class);
    }

    /** Sets a header in both maps of an event tree. */
    public static void setHeader(ObjectNode tree, String name, String value) {
        ObjectNode headers = tree.with("headers");
        headers.put(name, value);
        ArrayNode values = tree.with("multiValueHeaders").putArray(name);
        values.add(value);
    }

    public static APIGatewayProxyRequestEvent request(String method, String path, Map<String, String> headers, String body) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setHttpMethod(method);
        event.setPath(path);
        event.setResource(path);
        Map<String, String> single = new LinkedHashMap<>(headers);
        single.putIfAbsent("Host", "abc123.execute-api.eu-west-1.amazonaws.com");
        if (body != null) {
            single.putIfAbsent("Content-Type", "application/json");
        }
        Map<String, List<String>> multi = new LinkedHashMap<>();
        single.forEach((k, v) -> multi.put(k, List.of(v)));
        event.setHeaders(single);
        event.setMultiValueHeaders(multi);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId(UUID.randomUUID().toString());
        context.setHttpMethod(method);
        context.setPath("/prod" + path);
        context.setStage("prod");
        context.setResourcePath(path);
        event.setRequestContext(context);
        return event;
    }

    public static APIGatewayProxyRequestEvent withQuery(APIGatewayProxyRequestEvent event, Map<String, String> query) {
        event.setQueryStringParameters(query);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        query.forEach((k, v) -> multi.put(k, List.of(v)));
        event.setMultiValueQueryStringParameters(multi);
        return event;
    }

    public static Context context() {
        return new Context() {
            private final String id = UUID.randomUUID().toString();

            public String getAwsRequestId() { return id; }
            public String getLogGroupName() { return "/aws/lambda/test"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return "test"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:test"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return 30_000; }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) { System.out.println(message); }
                    public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }
}
