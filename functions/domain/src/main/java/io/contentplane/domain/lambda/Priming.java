package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the functions' SnapStart priming (their CRaC resources) shares: the synthetic requests it
 * runs through the handler before the snapshot. The JDBC functions' clean-up after a restore is
 * {@link JdbcPriming}, a class of its own so that a function without the JDBC stack never loads it.
 */
public final class Priming {

    private Priming() {
    }

    /** A REST API (payload 1.0) request as API Gateway delivers it: headers in both maps, a request context. */
    public static APIGatewayProxyRequestEvent request(String method, String path, Map<String, String> headers,
                                                      @Nullable String body) {
        Map<String, String> single = new LinkedHashMap<>(headers);
        single.putIfAbsent("Host", "priming.execute-api.localhost");
        if (body != null) {
            single.putIfAbsent("Content-Type", "application/json");
        }
        Map<String, List<String>> multi = new LinkedHashMap<>();
        single.forEach((name, value) -> multi.put(name, List.of(value)));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId("priming-" + UUID.randomUUID())
                .withHttpMethod(method)
                .withPath(path)
                .withResourcePath(path)
                .withStage("priming");
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath(path)
                .withResource(path)
                .withHeaders(single)
                .withMultiValueHeaders(multi)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context);
    }
}
