package io.contentplane.status;

import io.micronaut.context.ApplicationContext;
import io.contentplane.domain.lambda.RestApiFunction;
import org.crac.Core;

/**
 * The status Lambda's handler: Micronaut's REST API (payload 1.0) function, which registers the
 * function's SnapStart priming when constructed, during the function's initialisation.
 */
public class StatusFunction extends RestApiFunction {
    // Held here because CRaC runtimes may hold registered resources weakly.
    private final StatusPriming priming = new StatusPriming(this);

    public StatusFunction() {
        super();
        Core.getGlobalContext().register(priming);
    }

    public StatusFunction(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(priming);
    }

    StatusPriming priming() {
        return priming;
    }
}
