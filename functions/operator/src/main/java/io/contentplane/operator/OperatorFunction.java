package io.contentplane.operator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

/**
 * The operator Lambda's handler: the REST API (payload 1.0) function, with one adaptation.
 * micronaut-function-aws-api-proxy 4.11 fails to bind an absent body even to a nullable
 * {@code @Body String} ("Empty body"), while Argus clients post stop-api, start-api and shutdown
 * without one. Argus (express.json) reads an absent body as {@code {}}, so an absent body is given
 * to the controller as exactly that: the request means the same and its token's reqBody still matches.
 */
public class OperatorFunction extends ApiGatewayProxyRequestEventFunction {

    public OperatorFunction() {
        super();
    }

    public OperatorFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if (event != null && (event.getBody() == null || event.getBody().isEmpty())) {
            event.setBody("{}");
            event.setIsBase64Encoded(false);
        }
        return super.handleRequest(event, context);
    }
}
