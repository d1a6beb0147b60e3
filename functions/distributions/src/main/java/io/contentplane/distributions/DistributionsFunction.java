package io.contentplane.distributions;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;
import org.crac.Core;

/**
 * The distributions Lambda's handler (see {@link RestApiFunction}). It registers its SnapStart
 * priming when constructed, during the function's initialisation.
 */
public class DistributionsFunction extends RestApiFunction {
    // Held here because CRaC runtimes may hold registered resources weakly.
    private final DistributionsPriming priming = new DistributionsPriming(this);

    public DistributionsFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public DistributionsFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    DistributionsPriming priming() {
        return priming;
    }
}
