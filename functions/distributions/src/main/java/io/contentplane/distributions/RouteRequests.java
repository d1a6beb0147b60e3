package io.contentplane.distributions;

import io.contentplane.domain.distribution.HostNames;
import io.contentplane.domain.distribution.Regions;
import io.contentplane.domain.distribution.RouteResolver;
import io.contentplane.domain.distribution.RouteSettings;
import io.contentplane.domain.distribution.RouteType;
import io.contentplane.domain.distribution.Target;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads create and update bodies of routes. Create: {@code type}, {@code domain} and
 * {@code targets} required; {@code subdomain} and {@code path} default to "". A path is stored
 * without leading or trailing slashes ("/asd/" is "asd", as the seed writes it). Update (PATCH):
 * the same fields, all optional; {@code targets} is replaced as a whole.
 */
final class RouteRequests {
    static final int MAX_PATH = 1024;
    static final int MAX_TUNNEL_FIELD = 100;
    private static final Set<String> FIELDS = Set.of("type", "subdomain", "domain", "path", "targets");
    /** Path segments of RFC 3986 (pchar): no spaces, '?', '#' or empty segments. */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");
    private static final Pattern TUNNEL_FIELD = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String REGION_RULE = " is not a region: use Default, COUNTRY-<ISO 3166-1 alpha-2 code, e.g. PL> or CONTINENT-<"
            + String.join("|", Regions.CONTINENTS) + ">";

    private RouteRequests() {
    }

    static RouteSettings forCreate(Map<String, Object> body) {
        List<String> errors = new ArrayList<>();
        RequestBodies.rejectUnknown(body, FIELDS, "", errors);
        RouteType type = body.get("type") == null ? missing("type", errors) : type(body.get("type"), errors);
        String subdomain = body.get("subdomain") == null ? "" : subdomain(body.get("subdomain"), errors);
        String domain = body.get("domain") == null ? missing("domain", errors) : domain(body.get("domain"), errors);
        String path = body.get("path") == null ? "" : path(body.get("path"), errors);
        Map<String, Target> targets = body.get("targets") == null ? missing("targets", errors) : targets(body.get("targets"), errors);
        return checked(type, subdomain, domain, path, targets, errors);
    }

    static RouteSettings applyUpdate(RouteSettings current, Map<String, Object> body) {
        List<String> errors = new ArrayList<>();
        RequestBodies.rejectUnknown(body, FIELDS, "", errors);
        RouteType type = body.containsKey("type") ? type(body.get("type"), errors) : current.type();
        String subdomain = current.subdomain();
        if (body.containsKey("subdomain")) {
            subdomain = body.get("subdomain") == null ? "" : subdomain(body.get("subdomain"), errors);
        }
        String domain = body.containsKey("domain") ? domain(body.get("domain"), errors) : current.domain();
        String path = current.path();
        if (body.containsKey("path")) {
            path = body.get("path") == null ? "" : path(body.get("path"), errors);
        }
        Map<String, Target> targets = body.containsKey("targets") ? targets(body.get("targets"), errors) : current.targets();
        return checked(type, subdomain, domain, path, targets, errors);
    }

    private static RouteSettings checked(RouteType type, String subdomain, String domain, String path,
                                         Map<String, Target> targets, List<String> errors) {
        if (subdomain != null && domain != null && !subdomain.isEmpty()
                && subdomain.length() + 1 + domain.length() > HostNames.MAX_HOST_LENGTH) {
            errors.add("subdomain and domain together must be at most " + HostNames.MAX_HOST_LENGTH + " characters");
        }
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        return new RouteSettings(type, subdomain, domain, path, targets);
    }

    @Nullable
    private static RouteType type(Object value, List<String> errors) {
        for (RouteType type : RouteType.values()) {
            if (type.name().equals(value)) {
                return type;
            }
        }
        errors.add("type must be one of PROXY, REDIRECT, CLOAKING, PROXY_NO_CACHE");
        return null;
    }

    @Nullable
    private static String subdomain(Object value, List<String> errors) {
        if (!(value instanceof String s) || (!s.isEmpty() && !HostNames.isSubdomain(s))) {
            errors.add("subdomain must be empty or DNS labels separated by dots, such as www or eu.static");
            return null;
        }
        return s;
    }

    @Nullable
    private static String domain(Object value, List<String> errors) {
        if (!(value instanceof String s) || !HostNames.isDomain(s)) {
            errors.add("domain must be a host name such as buddy.works");
            return null;
        }
        return s;
    }

    @Nullable
    private static String path(Object value, List<String> errors) {
        if (!(value instanceof String s)) {
            errors.add("path must be a string");
            return null;
        }
        String path = RouteResolver.stripSlashes(s);
        if (path.length() > MAX_PATH || (!path.isEmpty() && !PATH.matcher(path).matches())) {
            errors.add("path must be URL path segments separated by '/', without spaces, '?', '#' or empty segments, "
                    + "at most " + MAX_PATH + " characters");
            return null;
        }
        return path;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private static Map<String, Target> targets(Object value, List<String> errors) {
        if (!(value instanceof Map<?, ?> raw)) {
            errors.add("targets must be an object keyed by region");
            return null;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        Map<String, Target> targets = new LinkedHashMap<>();
        int before = errors.size();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String at = "targets." + e.getKey();
            if (!Regions.isRegionKey(e.getKey())) {
                errors.add(at + REGION_RULE);
                continue;
            }
            Target target = target(e.getValue(), at, errors);
            if (target != null) {
                targets.put(e.getKey(), target);
            }
        }
        if (!map.containsKey(Regions.DEFAULT)) {
            errors.add("targets.Default is required");
        }
        return errors.size() == before ? targets : null;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private static Target target(Object value, String at, List<String> errors) {
        if (!(value instanceof Map<?, ?> raw)) {
            errors.add(at + " must be an object");
            return null;
        }
        Map<String, Object> t = (Map<String, Object>) raw;
        Object type = t.get("type");
        if (Target.EXTERNAL.equals(type)) {
            RequestBodies.rejectUnknown(t, Set.of("type", "external_url"), at + ".", errors);
            Object url = t.get("external_url");
            if (url == null) {
                errors.add(at + ".external_url is required for type EXTERNAL");
            } else if (!(url instanceof String s) || !HostNames.isExternalUrl(s)) {
                errors.add(at + ".external_url must be a host name such as kordos.com or an http(s) URL");
            } else {
                return Target.external(s);
            }
            return null;
        }
        if (Target.TUNNEL.equals(type)) {
            RequestBodies.rejectUnknown(t, Set.of("type", "tunnel"), at + ".", errors);
            if (!(t.get("tunnel") instanceof Map<?, ?> rawTunnel)) {
                errors.add(at + ".tunnel is required for type TUNNEL: an object with id and tunnel_id");
                return null;
            }
            Map<String, Object> tunnel = (Map<String, Object>) rawTunnel;
            RequestBodies.rejectUnknown(tunnel, Set.of("id", "tunnel_id"), at + ".tunnel.", errors);
            String id = tunnelField(tunnel.get("id"), at + ".tunnel.id", errors);
            String tunnelId = tunnelField(tunnel.get("tunnel_id"), at + ".tunnel.tunnel_id", errors);
            return id == null || tunnelId == null ? null : Target.tunnel(id, tunnelId);
        }
        errors.add(at + ".type must be EXTERNAL or TUNNEL");
        return null;
    }

    @Nullable
    private static String tunnelField(Object value, String field, List<String> errors) {
        if (value == null) {
            errors.add(field + " is required");
            return null;
        }
        if (!(value instanceof String s) || s.length() > MAX_TUNNEL_FIELD || !TUNNEL_FIELD.matcher(s).matches()) {
            errors.add(field + " must be letters, digits, '.', '_' or '-' (at most " + MAX_TUNNEL_FIELD + " characters)");
            return null;
        }
        return s;
    }

    @Nullable
    private static <T> T missing(String field, List<String> errors) {
        errors.add(field + " is required");
        return null;
    }
}
