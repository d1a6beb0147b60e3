package io.contentplane.operator.auth;

import io.contentplane.operator.OperatorController;
import io.micronaut.http.HttpRequest;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteAttributes;

/** Whether a request was routed to the operator API (the route is matched before any filter runs). */
final class OperatorRoutes {
    private OperatorRoutes() {
    }

    static boolean routed(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request)
                .filter(match -> match instanceof MethodBasedRouteMatch<?, ?> method
                        && method.getDeclaringType() == OperatorController.class)
                .isPresent();
    }
}
