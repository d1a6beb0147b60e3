package io.contentplane.domain.distribution;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which route and target a request reaches (the distributions API's {@code resolve} extension):
 * among the routes serving the request's host, the one whose path is the longest prefix of the
 * request path on segment boundaries (route path "" serves every path); then the most specific
 * region with a target: the country, then its continent, then {@code Default}.
 */
public final class RouteResolver {

    private RouteResolver() {
    }

    /** The outcome: the route, the region key whose target was chosen, the target, and why, in words. */
    public record Resolution(Route route, String region, Target target, String reason) {
    }

    /**
     * @param host    the request's host; case, a port and a trailing dot do not matter
     * @param path    the request path, with or without its leading slash; a query or fragment is ignored
     * @param country an ISO 3166-1 alpha-2 code in upper case, or null when unknown; a code that
     *                is not assigned gets the {@code Default} target
     */
    public static Optional<Resolution> resolve(List<Route> routes, String host, String path, @Nullable String country) {
        String wantedHost = normalizeHost(host);
        int query = indexOfAny(path, '?', '#');
        String wantedPath = stripSlashes(query < 0 ? path : path.substring(0, query));
        Route best = null;
        for (Route route : routes) {
            RouteSettings s = route.settings();
            if (s.host().equals(wantedHost) && servesPath(s.path(), wantedPath)
                    && (best == null || s.path().length() > best.settings().path().length())) {
                best = route;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String routePart = best.settings().path().isEmpty()
                ? "route " + best.id() + " serves every path of " + wantedHost
                : "route " + best.id() + " has the longest path prefix of /" + wantedPath + " (" + best.settings().path() + ")";
        return Optional.of(region(best, country, routePart));
    }

    private static Resolution region(Route route, @Nullable String country, String routePart) {
        var targets = route.settings().targets();
        if (country == null) {
            return new Resolution(route, Regions.DEFAULT, targets.get(Regions.DEFAULT), routePart + "; no country given, so Default");
        }
        String countryKey = Regions.COUNTRY_PREFIX + country;
        if (targets.containsKey(countryKey)) {
            return new Resolution(route, countryKey, targets.get(countryKey), routePart + "; country " + country + " has its own target");
        }
        Optional<String> continent = Regions.continentOf(country);
        if (continent.isEmpty()) {
            return new Resolution(route, Regions.DEFAULT, targets.get(Regions.DEFAULT),
                    routePart + "; " + country + " is not an ISO 3166-1 country code, so Default");
        }
        String continentKey = Regions.CONTINENT_PREFIX + continent.get();
        if (targets.containsKey(continentKey)) {
            return new Resolution(route, continentKey, targets.get(continentKey),
                    routePart + "; no target for country " + country + ", its continent " + continent.get() + " has one");
        }
        return new Resolution(route, Regions.DEFAULT, targets.get(Regions.DEFAULT),
                routePart + "; no target for country " + country + " or its continent " + continent.get() + ", so Default");
    }

    /** Route path "" serves everything; "a/b" serves "a/b" and "a/b/...", not "a/bc". */
    static boolean servesPath(String routePath, String requestPath) {
        return routePath.isEmpty() || requestPath.equals(routePath) || requestPath.startsWith(routePath + "/");
    }

    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(':') == colon) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** "/asd/x/" and "asd/x" are the same path. */
    public static String stripSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
