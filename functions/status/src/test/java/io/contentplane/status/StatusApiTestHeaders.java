package io.contentplane.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.util.List;
import java.util.Map;

/** A response header by name, case-insensitively, from either of the event's header maps. */
final class StatusApiTestHeaders {
    private StatusApiTestHeaders() {
    }

    static String get(APIGatewayProxyResponseEvent response, String name) {
        if (response.getMultiValueHeaders() != null) {
            for (Map.Entry<String, List<String>> e : response.getMultiValueHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", e.getValue());
                }
            }
        }
        if (response.getHeaders() != null) {
            for (Map.Entry<String, String> e : response.getHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }
}
