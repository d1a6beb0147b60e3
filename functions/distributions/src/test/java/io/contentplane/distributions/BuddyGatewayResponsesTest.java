package io.contentplane.distributions;

import io.contentplane.domain.testing.GatewayResponses;
import io.contentplane.domain.testing.GatewayResponses.Case;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.contentplane.domain.testing.GatewayResponses.Match.EXACT;

/**
 * DistributionsApi's gateway responses answer with the very bodies Buddy's error shape gives for the
 * same status: {@code {"errors":[{"message"}]}}.
 */
class BuddyGatewayResponsesTest extends DistributionsTestSupport {

    @Test
    void everyGatewayResponseIsTheBuddyBodyOfItsStatus() {
        Case exact = Case.of(EXACT);
        GatewayResponses.check("DistributionsApi", context.getBean(ErrorResponseProcessor.class), json,
                "/workspaces/gateway-sample/distributions/x/unknown", Map.of(
                        "DEFAULT_4XX", exact, "DEFAULT_5XX", exact, "MISSING_AUTHENTICATION_TOKEN", exact,
                        "RESOURCE_NOT_FOUND", exact, "ACCESS_DENIED", exact, "THROTTLED", exact,
                        "REQUEST_TOO_LARGE", exact, "INTEGRATION_TIMEOUT", exact, "INTEGRATION_FAILURE", exact));
    }
}
