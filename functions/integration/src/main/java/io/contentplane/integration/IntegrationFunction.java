package io.contentplane.integration;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;

/** The integration Lambda's handler (see {@link RestApiFunction}). */
public class IntegrationFunction extends RestApiFunction {

    public IntegrationFunction() {
        super();
    }

    public IntegrationFunction(ApplicationContext context) {
        super(context);
    }
}
