package io.contentplane.distributions;

import io.contentplane.domain.distribution.Distribution;
import io.contentplane.domain.distribution.DistributionDetails;
import io.contentplane.domain.distribution.DistributionSettings;
import io.contentplane.domain.distribution.Permissions;
import io.contentplane.domain.distribution.Route;
import io.contentplane.domain.distribution.RouteResolver;
import io.contentplane.domain.distribution.RouteSettings;
import io.contentplane.domain.distribution.Target;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON answers, in the shapes of seed 003. {@code url} is the object's API address under
 * {@code distributions.api-base-url}, {@code html_url} its page under
 * {@code distributions.html-base-url} ({@code /<workspace>/-/routing/<id>/routes} for a
 * distribution, {@code .../route/<route id>} for a route, {@code /<workspace>/-/routing} for the list).
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

    Map<String, Object> distribution(DistributionDetails details) {
        Distribution d = details.distribution();
        DistributionSettings s = d.settings();
        Map<String, Object> view = summary(d);
        view.put("scope", s.scope().name());
        if (s.projectName() != null) {
            // we keep only the project's name; Buddy's display name defaults to it
            Map<String, Object> project = new LinkedHashMap<>();
            project.put("name", s.projectName());
            project.put("display_name", s.projectName());
            view.put("project", project);
        }
        if (s.environmentId() != null) {
            view.put("environment", Map.of("id", s.environmentId()));
        }
        view.put("routes", details.routes().stream().map(this::route).toList());
        view.put("permissions", permissions(s.permissions()));
        return view;
    }

    Map<String, Object> list(String workspace, List<Distribution> distributions) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", api + "/workspaces/" + workspace + "/distributions");
        view.put("html_url", html + "/" + workspace + "/-/routing");
        view.put("distributions", distributions.stream().map(this::summary).toList());
        return view;
    }

    Map<String, Object> routes(String workspace, String distributionId, List<Route> routes) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", distributionUrl(workspace, distributionId) + "/routes");
        view.put("html_url", distributionPage(workspace, distributionId));
        view.put("routes", routes.stream().map(this::route).toList());
        return view;
    }

    Map<String, Object> route(Route r) {
        RouteSettings s = r.settings();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", distributionUrl(r.workspace(), r.distributionId()) + "/routes/" + r.id());
        view.put("html_url", html + "/" + r.workspace() + "/-/routing/" + r.distributionId() + "/route/" + r.id());
        view.put("id", r.id());
        view.put("type", s.type().name());
        view.put("subdomain", s.subdomain());
        view.put("domain", s.domain());
        view.put("path", s.path());
        Map<String, Object> targets = new LinkedHashMap<>();
        s.targets().forEach((region, target) -> targets.put(region, target(target)));
        view.put("targets", targets);
        return view;
    }

    Map<String, Object> resolution(RouteResolver.Resolution r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("route", route(r.route()));
        view.put("region", r.region());
        view.put("target", target(r.target()));
        view.put("reason", r.reason());
        return view;
    }

    private Map<String, Object> summary(Distribution d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", distributionUrl(d.workspace(), d.id()));
        view.put("html_url", distributionPage(d.workspace(), d.id()));
        view.put("id", d.id());
        view.put("identifier", d.settings().identifier());
        view.put("name", d.settings().name());
        view.put("disabled", d.settings().disabled());
        return view;
    }

    private String distributionUrl(String workspace, String id) {
        return api + "/workspaces/" + workspace + "/distributions/" + id;
    }

    private String distributionPage(String workspace, String id) {
        return html + "/" + workspace + "/-/routing/" + id + "/routes";
    }

    private static Map<String, Object> target(Target t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", t.type());
        if (Target.EXTERNAL.equals(t.type())) {
            view.put("external_url", t.externalUrl());
        } else {
            Map<String, Object> tunnel = new LinkedHashMap<>();
            tunnel.put("id", t.tunnelId());
            tunnel.put("tunnel_id", t.tunnelTunnelId());
            view.put("tunnel", tunnel);
        }
        return view;
    }

    private static Map<String, Object> permissions(Permissions p) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (p.others() != null) {
            view.put("others", p.others());
        }
        if (p.users() != null) {
            view.put("users", grants(p.users()));
        }
        if (p.groups() != null) {
            view.put("groups", grants(p.groups()));
        }
        return view;
    }

    private static List<Map<String, Object>> grants(List<Permissions.Grant> grants) {
        return grants.stream().map(g -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", g.id());
            view.put("access_level", g.accessLevel());
            return view;
        }).toList();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
