package io.contentplane.status;

import io.contentplane.domain.testing.GatewayResponses;
import io.contentplane.domain.testing.GatewayResponses.Case;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static io.contentplane.domain.testing.GatewayResponses.Match.EXACT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ArgusApi's gateway responses (template.yaml: the operator and status functions' REST API) answer
 * with the very bodies Argus's error shape gives for the same status: {@code {"type","message"}}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArgusGatewayResponsesTest implements TestPropertyProvider {
    @Inject
    ErrorResponseProcessor<?> errors;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabases.strings(TestDatabases.h2());
    }

    @Test
    void everyGatewayResponseIsTheArgusBodyOfItsStatus() {
        Case exact = Case.of(EXACT);
        GatewayResponses.check("ArgusApi", errors, json, "/api/v1/gateway-sample", Map.of(
                "DEFAULT_4XX", exact, "DEFAULT_5XX", exact, "MISSING_AUTHENTICATION_TOKEN", exact,
                "RESOURCE_NOT_FOUND", exact, "ACCESS_DENIED", exact, "THROTTLED", exact,
                "REQUEST_TOO_LARGE", exact, "INTEGRATION_TIMEOUT", exact, "INTEGRATION_FAILURE", exact));
    }

    /**
     * The status context knows Argus's shape only, so the check above would not notice an integration
     * path on ArgusApi: each API's routes stay under its own prefix, and every Api event is on one of the three.
     */
    @Test
    void everyRouteIsOnTheApiOfItsPrefix() {
        Map<String, Object> template = GatewayResponses.template();
        List<GatewayResponses.Route> argus = GatewayResponses.routes(template, "ArgusApi");
        List<GatewayResponses.Route> integration = GatewayResponses.routes(template, "IntegrationApi");
        List<GatewayResponses.Route> distributions = GatewayResponses.routes(template, "DistributionsApi");
        argus.forEach(r -> assertTrue(r.path().startsWith("/api/v1/") && !r.path().startsWith("/api/v1/integration"), r.toString()));
        integration.forEach(r -> assertTrue(r.path().startsWith("/api/v1/integration/"), r.toString()));
        distributions.forEach(r -> assertTrue(r.path().startsWith("/workspaces/"), r.toString()));
        assertEquals(List.of("OperatorFunction", "StatusFunction"), argus.stream().map(GatewayResponses.Route::function).distinct().sorted().toList());
        assertEquals(List.of("IntegrationFunction"), integration.stream().map(GatewayResponses.Route::function).distinct().toList());
        assertEquals(List.of("DistributionsFunction"), distributions.stream().map(GatewayResponses.Route::function).distinct().toList());
        // no Api event anywhere else (an event without RestApiId would make SAM's implicit API)
        long apiEvents = GatewayResponses.routes(template, null).size();
        assertEquals(argus.size() + integration.size() + distributions.size(), apiEvents);
    }

    @Test
    void unknownPathsAre404AndThrottlingSaysWhenToRetry() {
        Map<String, GatewayResponses.Response> responses = GatewayResponses.of(GatewayResponses.template(), "ArgusApi");
        assertEquals(404, responses.get("MISSING_AUTHENTICATION_TOKEN").statusCode());
        assertEquals(429, responses.get("THROTTLED").statusCode());
        assertEquals("'1'", responses.get("THROTTLED").headers().get("Retry-After"));
        assertEquals("{\"type\":\"request_validation\",\"message\":\"not found\"}",
                GatewayResponses.render(responses.get("MISSING_AUTHENTICATION_TOKEN").template()));
    }
}
