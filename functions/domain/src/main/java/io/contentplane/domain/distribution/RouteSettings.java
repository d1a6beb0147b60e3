package io.contentplane.domain.distribution;

import java.util.Locale;
import java.util.Map;

/**
 * What a client sets on a route. {@code subdomain} may be empty (the route serves the domain
 * itself); {@code path} is stored without leading or trailing slashes ("" serves every path);
 * {@code targets} keeps the client's order and always has a {@code Default}.
 */
public record RouteSettings(RouteType type, String subdomain, String domain, String path, Map<String, Target> targets) {

    /** The host the route answers, lower case: {@code subdomain.domain}, or the domain alone. */
    public String host() {
        String host = subdomain.isEmpty() ? domain : subdomain + "." + domain;
        return host.toLowerCase(Locale.ROOT);
    }
}
