package io.contentplane.integration;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;
import org.crac.Core;

/**
 * The integration Lambda's handler (see {@link RestApiFunction}). It registers its SnapStart
 * priming when constructed, during the function's initialisation.
 */
public class IntegrationFunction extends RestApiFunction {
    // Held here because CRaC runtimes may hold registered resources weakly.
    private final IntegrationPriming priming = new IntegrationPriming(this);

    public IntegrationFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public IntegrationFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    IntegrationPriming priming() {
        return priming;
    }
}
