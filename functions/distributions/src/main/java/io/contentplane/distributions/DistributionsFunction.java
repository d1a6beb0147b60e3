package io.contentplane.distributions;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;

/** The distributions Lambda's handler (see {@link RestApiFunction}). */
public class DistributionsFunction extends RestApiFunction {

    public DistributionsFunction() {
        super();
    }

    public DistributionsFunction(ApplicationContext context) {
        super(context);
    }
}
