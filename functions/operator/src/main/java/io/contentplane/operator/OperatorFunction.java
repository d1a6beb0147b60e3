package io.contentplane.operator;

import io.contentplane.domain.lambda.RestApiFunction;
import io.micronaut.context.ApplicationContext;
import org.crac.Core;

/**
 * The operator Lambda's handler (see {@link RestApiFunction} for its one adaptation). It registers
 * its SnapStart priming when constructed, during the function's initialisation.
 */
public class OperatorFunction extends RestApiFunction {
    // Held here because CRaC runtimes may hold registered resources weakly.
    private final OperatorPriming priming = new OperatorPriming(this);

    public OperatorFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public OperatorFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    OperatorPriming priming() {
        return priming;
    }
}
