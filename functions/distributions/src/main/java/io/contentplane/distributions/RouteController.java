package io.contentplane.distributions;

import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.contentplane.domain.distribution.Route;
import io.contentplane.domain.distribution.RouteStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;

import java.util.Map;

/**
 * {@code /workspaces/{workspace}/distributions/{id}/routes}: list, create (201), get, update
 * (PATCH) and delete (204) a distribution's routes. The same host and path cannot belong to two
 * routes of a workspace (409).
 */
@Controller("/workspaces/{workspace}/distributions/{id}/routes")
public class RouteController {
    private final RequestBodies bodies;
    private final DistributionViews views;
    private final RouteStore routes;

    public RouteController(RequestBodies bodies, DistributionViews views, RouteStore routes) {
        this.bodies = bodies;
        this.views = views;
        this.routes = routes;
    }

    @Secured(DistributionTokens.INFO)
    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> list(@PathVariable String workspace, @PathVariable String id,
                     @Nullable @QueryValue("page") String page, @Nullable @QueryValue("per_page") String perPage) {
                RequestBodies.Paging paging = RequestBodies.paging(page, perPage);
        String distributionId = DistributionController.existing(id);
        return HttpResponse.ok(views.routes(workspace, distributionId,
                routes.list(workspace, distributionId, paging.page(), paging.perPage())));
    }

    @Secured(DistributionTokens.ADD)
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(@PathVariable String workspace, @PathVariable String id,
                       @Body @Nullable String body) {
                Route created = routes.create(workspace, DistributionController.existing(id), RouteRequests.forCreate(bodies.object(body)));
        return HttpResponse.status(HttpStatus.CREATED).body(views.route(created));
    }

    @Secured(DistributionTokens.INFO)
    @Get(uri = "/{routeId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> get(@PathVariable String workspace, @PathVariable String id,
                    @PathVariable String routeId) {
                return HttpResponse.ok(views.route(routes.get(workspace, DistributionController.existing(id), existingRoute(routeId))));
    }

    @Secured(DistributionTokens.MANAGE)
    @Patch(uri = "/{routeId}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> update(@PathVariable String workspace, @PathVariable String id,
                       @PathVariable String routeId, @Body @Nullable String body) {
                Map<String, Object> json = bodies.object(body);
        Route updated = routes.update(workspace, DistributionController.existing(id), existingRoute(routeId),
                current -> RouteRequests.applyUpdate(current, json));
        return HttpResponse.ok(views.route(updated));
    }

    @Secured(DistributionTokens.MANAGE)
    @Delete(uri = "/{routeId}")
    HttpResponse<?> delete(@PathVariable String workspace, @PathVariable String id,
                       @PathVariable String routeId) {
                routes.delete(workspace, DistributionController.existing(id), existingRoute(routeId));
        return HttpResponse.noContent();
    }

    private static String existingRoute(String routeId) {
        if (!DistributionController.ID.matcher(routeId).matches()) {
        throw new ResourceNotFoundException("Route");
        }
        return routeId;
    }
}
