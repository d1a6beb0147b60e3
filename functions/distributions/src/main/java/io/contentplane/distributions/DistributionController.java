package io.contentplane.distributions;

import io.contentplane.distributions.BuddyBodies.Changes;
import io.contentplane.distributions.DistributionRequests.DistributionBody;
import io.contentplane.distributions.DistributionViews.DistributionList;
import io.contentplane.distributions.DistributionViews.DistributionView;
import io.contentplane.distributions.DistributionViews.Resolution;
import io.contentplane.domain.distribution.DistributionDetails;
import io.contentplane.domain.distribution.DistributionStore;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.HostNames;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.contentplane.domain.distribution.RouteResolver;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code /workspaces/{workspace}/distributions}: list, create (201), get, update (PATCH), delete
 * (204), and our extension {@code GET /{id}/resolve?host=&path=&country=}, which names the route
 * and target a request would reach. A disabled distribution resolves nothing: 409. Each endpoint
 * declares the scope it needs; the workspace is checked against the token before ({@link WorkspaceRule}).
 */
@Controller("/workspaces/{workspace}/distributions")
public class DistributionController {
    /** Ids are 8 base62 characters; anything else cannot exist (and never reaches a store key). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9]{8}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");

    private final BuddyBodies<?> bodies;
    private final DistributionViews views;
    private final DistributionStore distributions;

    public DistributionController(BuddyBodies<?> bodies, DistributionViews views, DistributionStore distributions) {
        this.bodies = bodies;
        this.views = views;
        this.distributions = distributions;
    }

    @Secured(DistributionTokens.INFO)
    @Get
    DistributionList list(@PathVariable String workspace,
                          @Nullable @QueryValue("page") @Schema(type = "integer", minimum = "1", maximum = Paging.PAGE_MAX, description = Paging.PAGE_RULE) String page,
            @Nullable @QueryValue("per_page") @Schema(type = "integer", minimum = "1", maximum = "" + Paging.MAX_PER_PAGE) String perPage) {
        Paging paging = Paging.of(page, perPage);
        return views.list(workspace, distributions.list(workspace, paging.page(), paging.perPage()));
    }

    @Secured(DistributionTokens.ADD)
    @Post
    @Status(HttpStatus.CREATED)
    DistributionView create(@PathVariable String workspace, @Body DistributionBody body) {
        return views.distribution(distributions.create(workspace, body.created()));
    }

    @Secured(DistributionTokens.INFO)
    @Get("/{id}")
    DistributionView get(@PathVariable String workspace, @PathVariable String id) {
        return views.distribution(distributions.get(workspace, existing(id)));
    }

    @Secured(DistributionTokens.MANAGE)
    @Patch("/{id}")
    DistributionView update(@PathVariable String workspace, @PathVariable String id,
                            @Body @Nullable Changes<DistributionBody> changes) {
        DistributionDetails updated = distributions.update(workspace, existing(id), current -> changes == null ? current
                : bodies.valid(DistributionBody.merged(changes, current), BuddyBodies.Update.class).updated());
        return views.distribution(updated);
    }

    @Secured(DistributionTokens.MANAGE)
    @Delete("/{id}")
    HttpResponse<Void> delete(@PathVariable String workspace, @PathVariable String id) {
        distributions.delete(workspace, existing(id));
        return HttpResponse.noContent();
    }

    @Secured(DistributionTokens.INFO)
    @Get("/{id}/resolve")
    Resolution resolve(@PathVariable String workspace, @PathVariable String id,
                       @Nullable @QueryValue("host") @Parameter(required = true) @Schema(pattern = ContractPatterns.REQUEST_HOST)
                       String host,
                       @Nullable @QueryValue("path") String path,
                       @Nullable @QueryValue("country") @Schema(pattern = "^(?:[A-Za-z]{2})?(?![\\s\\S])") String country) {
        List<String> errors = new ArrayList<>();
        if (host == null || host.isBlank()) {
            errors.add("host is required");
        } else if (!isRequestHost(host)) {
            errors.add("host must be a host name such as testing3.buddy.works (a port is ignored)");
        }
        if (country != null && !country.isEmpty() && !COUNTRY.matcher(country).matches()) {
            errors.add("country must be a two-letter ISO 3166-1 code such as PL");
        }
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        DistributionDetails details = distributions.get(workspace, existing(id));
        if (details.distribution().settings().disabled()) {
            throw DistributionsException.of(HttpStatus.CONFLICT, "Distribution is disabled");
        }
        String wanted = country == null || country.isEmpty() ? null : country.toUpperCase(Locale.ROOT);
        String requestPath = path == null ? "" : path;
        return RouteResolver.resolve(details.routes(), host, requestPath, wanted)
                .map(views::resolution)
                .orElseThrow(() -> DistributionsException.of(HttpStatus.NOT_FOUND,
                        "No route of this distribution serves host " + host.trim() + " and path /"
                                + RouteResolver.stripSlashes(requestPath)));
    }

    static String existing(String id) {
        if (!ID.matcher(id).matches()) {
            throw new ResourceNotFoundException("Distribution");
        }
        return id;
    }

    /** A host name with an optional port and trailing dot, as a Host header carries it. */
    static boolean isRequestHost(String host) {
        String h = host.trim();
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            String port = h.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}")) {
                return false;
            }
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return HostNames.isDomain(h);
    }
}
