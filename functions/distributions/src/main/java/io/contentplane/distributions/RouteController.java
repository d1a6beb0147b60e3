package io.contentplane.distributions;

import io.contentplane.distributions.BuddyBodies.Changes;
import io.contentplane.distributions.DistributionViews.RouteList;
import io.contentplane.distributions.DistributionViews.RouteView;
import io.contentplane.distributions.RouteRequests.RouteBody;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.contentplane.domain.distribution.Route;
import io.contentplane.domain.distribution.RouteStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code /workspaces/{workspace}/distributions/{id}/routes}: list, create (201), get, update
 * (PATCH) and delete (204) a distribution's routes. The same host and path cannot belong to two
 * routes of a workspace (409).
 */
@Controller("/workspaces/{workspace}/distributions/{id}/routes")
public class RouteController {
    private final BuddyBodies<?> bodies;
    private final DistributionViews views;
    private final RouteStore routes;

    public RouteController(BuddyBodies<?> bodies, DistributionViews views, RouteStore routes) {
        this.bodies = bodies;
        this.views = views;
        this.routes = routes;
    }

    @Secured(DistributionTokens.INFO)
    @Get
    RouteList list(@PathVariable String workspace, @PathVariable String id,
                   @Nullable @QueryValue("page") @Schema(type = "integer", minimum = "1", maximum = Paging.PAGE_MAX, description = Paging.PAGE_RULE) String page,
            @Nullable @QueryValue("per_page") @Schema(type = "integer", minimum = "1", maximum = "" + Paging.MAX_PER_PAGE) String perPage) {
        Paging paging = Paging.of(page, perPage);
        String distributionId = DistributionController.existing(id);
        return views.routes(workspace, distributionId, routes.list(workspace, distributionId, paging.page(), paging.perPage()));
    }

    @Secured(DistributionTokens.ADD)
    @Post
    @Status(HttpStatus.CREATED)
    RouteView create(@PathVariable String workspace, @PathVariable String id, @Body RouteBody body) {
        return views.route(routes.create(workspace, DistributionController.existing(id), body.settings()));
    }

    @Secured(DistributionTokens.INFO)
    @Get("/{routeId}")
    RouteView get(@PathVariable String workspace, @PathVariable String id, @PathVariable String routeId) {
        return views.route(routes.get(workspace, DistributionController.existing(id), existingRoute(routeId)));
    }

    @Secured(DistributionTokens.MANAGE)
    @Patch("/{routeId}")
    RouteView update(@PathVariable String workspace, @PathVariable String id, @PathVariable String routeId,
                     @Body @Nullable Changes<RouteBody> changes) {
        Route updated = routes.update(workspace, DistributionController.existing(id), existingRoute(routeId), current -> changes == null
                ? current : bodies.valid(RouteBody.merged(changes, current), BuddyBodies.Update.class).settings());
        return views.route(updated);
    }

    @Secured(DistributionTokens.MANAGE)
    @Delete("/{routeId}")
    HttpResponse<Void> delete(@PathVariable String workspace, @PathVariable String id, @PathVariable String routeId) {
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
