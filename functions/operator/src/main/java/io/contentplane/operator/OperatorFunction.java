package io.contentplane.operator;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;

/** The operator Lambda's handler (see {@link RestApiFunction} for its one adaptation). */
public class OperatorFunction extends RestApiFunction {

    public OperatorFunction() {
        super();
    }

    public OperatorFunction(ApplicationContext context) {
        super(context);
    }
}
