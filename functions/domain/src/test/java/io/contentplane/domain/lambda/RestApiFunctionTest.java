package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.webhook.WebhookSender;
import io.contentplane.domain.testing.LambdaEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context a deployed function builds for itself (the no-argument constructor Lambda calls). */
class RestApiFunctionTest {

    @Test
    void createsBeansOnlyWhenARequestNeedsThem() throws Exception {
        try (RestApiFunction function = new RestApiFunction()) {
            ApplicationContext context = function.getApplicationContext();
            assertTrue(context.getEnvironment().getActiveNames().containsAll(java.util.Set.of("function", "lambda")),
                    "the Lambda environments stay active");
            assertTrue(context.containsBean(WebhookSender.class), "the bean exists in this context");
            // micronaut-function-aws would have created every singleton at start-up.
            assertTrue(context.getActiveBeanRegistrations(WebhookSender.class).isEmpty(),
                    "an unused singleton is not created at start-up");

            // as API Gateway sends it (with its requestContext)
            APIGatewayProxyRequestEvent event = LambdaEvents.request("GET", "/no/such/route", Map.of("Accept", "application/json"), null);
            APIGatewayProxyResponseEvent response = function.handleRequest(event, null);
            assertEquals(404, response.getStatusCode());
            assertTrue(context.getActiveBeanRegistrations(WebhookSender.class).isEmpty(),
                    "a request that does not need the singleton does not create it");
        }
    }
}
