package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

import java.util.Set;

/**
 * Every function's Lambda handler: the REST API (payload 1.0) function, with one adaptation.
 * micronaut-function-aws-api-proxy 4.11 fails to bind an absent body even to a nullable
 * {@code @Body String} ("Empty body"), while clients post without one (Argus's CLI for stop-api,
 * Apex clients authenticating with headers only). An absent body on POST/PUT/PATCH is passed on as
 * {@code {}}, which is how the APIs we are compatible with read it (Express's json parser does).
 */
public class RestApiFunction extends ApiGatewayProxyRequestEventFunction {
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    static {
        // Before the constructor builds the context, so that the preloading runs beside it.
        ClassPreloader.start(RestApiFunction.class.getClassLoader());
    }

    public RestApiFunction() {
        super();
    }

    public RestApiFunction(ApplicationContext context) {
        super(context);
    }

    /** Beans created when first needed (see {@link FunctionContexts}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.builder();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if (event != null && event.getRequestContext() == null) {
            // API Gateway always sends one; hand-made events may not, and micronaut-function-aws's
            // security integration (MicronautLambdaAuthenticationFetcher) fails without it.
            event.setRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext());
        }
        if (event != null && (event.getBody() == null || event.getBody().isEmpty())
                && event.getHttpMethod() != null && WITH_BODY.contains(event.getHttpMethod())) {
            event.setBody("{}");
            event.setIsBase64Encoded(false);
        }
        try (LambdaLogContext log = LambdaLogContext.open(context)) {
            return super.handleRequest(event, context);
        }
    }
}
