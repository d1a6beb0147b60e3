package io.contentplane.integration;

import io.contentplane.domain.testing.GatewayResponses;
import io.contentplane.domain.testing.GatewayResponses.Case;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.contentplane.domain.testing.GatewayResponses.Match.EXACT;
import static io.contentplane.domain.testing.GatewayResponses.Match.MESSAGE_BEFORE_COLON;
import static io.contentplane.domain.testing.GatewayResponses.Match.STRUCTURE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * IntegrationApi's gateway responses answer in the Apex shape {@code {"error":{"code","message","details"}}}
 * with the codes the function itself uses for the same status: NOT_FOUND, FORBIDDEN, RATE_LIMITED (as the
 * per-key limit), PAYLOAD_TOO_LARGE, INTERNAL_ERROR.
 */
class ApexGatewayResponsesTest extends IntegrationTestSupport {

    @Test
    void everyGatewayResponseIsTheApexBodyOfItsStatus() {
        Case exact = Case.of(EXACT);
        // The function's own rate-limit refusal (IntegrationGate): the gateway's throttling gives the same code.
        IntegrationException rateLimited = new IntegrationException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                "Rate limit exceeded: 50 requests per minute per API key", Map.of(), 30L);
        GatewayResponses.check("IntegrationApi", context.getBean(ErrorResponseProcessor.class), json,
                "/api/v1/integration/gateway-sample", Map.of(
                        // API Gateway's own type and message in the Apex shape
                        "DEFAULT_4XX", Case.of(STRUCTURE),
                        "DEFAULT_5XX", exact,
                        // the function names method and path after "No such endpoint: "
                        "MISSING_AUTHENTICATION_TOKEN", Case.of(MESSAGE_BEFORE_COLON),
                        "RESOURCE_NOT_FOUND", Case.of(MESSAGE_BEFORE_COLON),
                        "ACCESS_DENIED", exact,
                        "THROTTLED", new Case(null, rateLimited, MESSAGE_BEFORE_COLON),
                        "REQUEST_TOO_LARGE", exact, "INTEGRATION_TIMEOUT", exact, "INTEGRATION_FAILURE", exact));
    }

    @Test
    void defaultClientErrorsNameApiGatewaysType() {
        GatewayResponses.Response response = GatewayResponses.of(GatewayResponses.template(), "IntegrationApi").get("DEFAULT_4XX");
        assertEquals("{\"error\":{\"code\":\"WAF_FILTERED\",\"message\":\"Forbidden\",\"details\":{}}}",
                GatewayResponses.render(response.template()));
    }
}
