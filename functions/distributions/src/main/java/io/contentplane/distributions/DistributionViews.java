package io.contentplane.distributions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.contentplane.domain.distribution.Distribution;
import io.contentplane.domain.distribution.DistributionDetails;
import io.contentplane.domain.distribution.DistributionSettings;
import io.contentplane.domain.distribution.Permissions;
import io.contentplane.domain.distribution.Route;
import io.contentplane.domain.distribution.RouteResolver;
import io.contentplane.domain.distribution.RouteSettings;
import io.contentplane.domain.distribution.Target;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON answers, in the shapes of seed 003. {@code url} is the object's API address under
 * {@code distributions.api-base-url}, {@code html_url} its page under
 * {@code distributions.html-base-url} ({@code /<workspace>/-/routing/<id>/routes} for a
 * distribution, {@code .../route/<route id>} for a route, {@code /<workspace>/-/routing} for the list).
 * Fields are written in the order declared; absent (null) ones are left out, empty ones are not.
 */
@Singleton
public class DistributionViews {
    private final String api;
    private final String html;

    public DistributionViews(@Value("${distributions.api-base-url:`https://api.buddy.works`}") String api,
                             @Value("${distributions.html-base-url:`https://app.buddy.works`}") String html) {
        this.api = withoutTrailingSlash(api);
        this.html = withoutTrailingSlash(html);
    }

    /** A distribution in a list: who it is, without scope, routes or permissions. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DistributionSummary(String url, @JsonProperty("html_url") String htmlUrl, String id, String identifier,
                                      String name, boolean disabled) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DistributionView(String url, @JsonProperty("html_url") String htmlUrl, String id, String identifier,
                                   String name, boolean disabled, String scope, @Nullable ProjectView project,
                                   @Nullable EnvironmentView environment, List<RouteView> routes, PermissionsView permissions) {
    }

    @Serdeable
    public record ProjectView(String name, @JsonProperty("display_name") String displayName) {
    }

    @Serdeable
    public record EnvironmentView(String id) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PermissionsView(@Nullable String others, @Nullable List<GrantView> users, @Nullable List<GrantView> groups) {
    }

    @Serdeable
    public record GrantView(long id, @JsonProperty("access_level") String accessLevel) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DistributionList(String url, @JsonProperty("html_url") String htmlUrl, List<DistributionSummary> distributions) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RouteView(String url, @JsonProperty("html_url") String htmlUrl, String id, String type, String subdomain,
                            String domain, String path, Map<String, TargetView> targets) {
    }

    /** EXTERNAL with {@code external_url}, or TUNNEL with {@code tunnel}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetView(String type, @JsonProperty("external_url") @Nullable String externalUrl, @Nullable TunnelView tunnel) {
    }

    @Serdeable
    public record TunnelView(String id, @JsonProperty("tunnel_id") String tunnelId) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RouteList(String url, @JsonProperty("html_url") String htmlUrl, List<RouteView> routes) {
    }

    /** The answer of {@code resolve}: the route, the region whose target applies, the target and why. */
    @Serdeable
    public record Resolution(RouteView route, String region, TargetView target, String reason) {
    }

    DistributionView distribution(DistributionDetails details) {
        Distribution d = details.distribution();
        DistributionSettings s = d.settings();
        // we keep only the project's name; Buddy's display name defaults to it
        ProjectView project = s.projectName() == null ? null : new ProjectView(s.projectName(), s.projectName());
        EnvironmentView environment = s.environmentId() == null ? null : new EnvironmentView(s.environmentId());
        return new DistributionView(distributionUrl(d.workspace(), d.id()), distributionPage(d.workspace(), d.id()), d.id(),
                s.identifier(), s.name(), s.disabled(), s.scope().name(), project, environment,
                details.routes().stream().map(this::route).toList(), permissions(s.permissions()));
    }

    DistributionList list(String workspace, List<Distribution> distributions) {
        return new DistributionList(api + "/workspaces/" + workspace + "/distributions", html + "/" + workspace + "/-/routing",
                distributions.stream().map(this::summary).toList());
    }

    RouteList routes(String workspace, String distributionId, List<Route> routes) {
        return new RouteList(distributionUrl(workspace, distributionId) + "/routes", distributionPage(workspace, distributionId),
                routes.stream().map(this::route).toList());
    }

    RouteView route(Route r) {
        RouteSettings s = r.settings();
        Map<String, TargetView> targets = new LinkedHashMap<>();
        s.targets().forEach((region, target) -> targets.put(region, target(target)));
        return new RouteView(distributionUrl(r.workspace(), r.distributionId()) + "/routes/" + r.id(),
                html + "/" + r.workspace() + "/-/routing/" + r.distributionId() + "/route/" + r.id(),
                r.id(), s.type().name(), s.subdomain(), s.domain(), s.path(), targets);
    }

    Resolution resolution(RouteResolver.Resolution r) {
        return new Resolution(route(r.route()), r.region(), target(r.target()), r.reason());
    }

    private DistributionSummary summary(Distribution d) {
        return new DistributionSummary(distributionUrl(d.workspace(), d.id()), distributionPage(d.workspace(), d.id()), d.id(),
                d.settings().identifier(), d.settings().name(), d.settings().disabled());
    }

    private String distributionUrl(String workspace, String id) {
        return api + "/workspaces/" + workspace + "/distributions/" + id;
    }

    private String distributionPage(String workspace, String id) {
        return html + "/" + workspace + "/-/routing/" + id + "/routes";
    }

    private static TargetView target(Target t) {
        return Target.EXTERNAL.equals(t.type()) ? new TargetView(t.type(), t.externalUrl(), null)
                : new TargetView(t.type(), null, new TunnelView(t.tunnelId(), t.tunnelTunnelId()));
    }

    private static PermissionsView permissions(Permissions p) {
        return new PermissionsView(p.others(), grants(p.users()), grants(p.groups()));
    }

    @Nullable
    private static List<GrantView> grants(@Nullable List<Permissions.Grant> grants) {
        return grants == null ? null : grants.stream().map(g -> new GrantView(g.id(), g.accessLevel())).toList();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
