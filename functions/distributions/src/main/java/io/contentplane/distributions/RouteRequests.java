package io.contentplane.distributions;

import io.contentplane.distributions.BodyRules.RouteTargets;
import io.contentplane.distributions.BodyRules.Rule;
import io.contentplane.distributions.BodyRules.Satisfies;
import io.contentplane.distributions.BodyRules.TargetFitsType;
import io.contentplane.distributions.BuddyBodies.Create;
import io.contentplane.distributions.BuddyBodies.Update;
import io.contentplane.domain.distribution.HostNames;
import io.contentplane.domain.distribution.RouteResolver;
import io.contentplane.domain.distribution.RouteSettings;
import io.contentplane.domain.distribution.RouteType;
import io.contentplane.domain.distribution.Target;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Create and update bodies of routes. Create: {@code type}, {@code domain} and {@code targets}
 * required; {@code subdomain} and {@code path} default to "". A path is stored without leading or
 * trailing slashes ("/asd/" is "asd", as the seed writes it). Update (PATCH): the same fields, all
 * optional; {@code targets} is replaced as a whole.
 */
final class RouteRequests {
    static final int MAX_PATH = 1024;
    /** Path segments of RFC 3986 (pchar): no spaces, '?', '#' or empty segments. */
    static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");

    private RouteRequests() {
    }

    /** A route as the client writes it: the create body, and the result of a PATCH over the stored one. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @RouteTargets
    record RouteBody(
            @NotNull(message = "is required", groups = Create.class)
            @NotNull(message = TYPE_RULE, groups = Update.class)
            @jakarta.validation.constraints.Pattern(regexp = TYPES, message = TYPE_RULE)
            @Schema(allowableValues = {"PROXY", "REDIRECT", "CLOAKING", "PROXY_NO_CACHE"})
            @Nullable String type,
            @Satisfies(value = Rule.SUBDOMAIN, message = "must be empty or DNS labels separated by dots, such as www or eu.static")
            @Schema(pattern = ContractPatterns.SUBDOMAIN, maxLength = HostNames.MAX_HOST_LENGTH,
                    description = "empty or DNS labels; with the domain at most 253 characters")
            @Nullable String subdomain,
            @NotNull(message = "is required", groups = Create.class)
            @NotNull(message = DOMAIN_RULE, groups = Update.class)
            @Satisfies(value = Rule.DOMAIN, message = DOMAIN_RULE)
            @Schema(pattern = ContractPatterns.DOMAIN, maxLength = HostNames.MAX_HOST_LENGTH)
            @Nullable String domain,
            @Satisfies(value = Rule.URL_PATH, message = "must be URL path segments separated by '/', without spaces, '?', '#' "
                    + "or empty segments, at most " + MAX_PATH + " characters")
            @Schema(pattern = ContractPatterns.URL_PATH)
            @Nullable String path,
            @NotNull(message = "is required", groups = Create.class)
            @NotNull(message = "must be an object keyed by region", groups = Update.class)
            @Nullable Map<@Satisfies(value = Rule.REGION, message = REGION_RULE) String, @Valid TargetBody> targets)
            implements BuddyBodies.Body, BodyRules.Routed {
        static final String TYPES = "PROXY|REDIRECT|CLOAKING|PROXY_NO_CACHE";
        static final String TYPE_RULE = "must be one of PROXY, REDIRECT, CLOAKING, PROXY_NO_CACHE";
        static final String DOMAIN_RULE = "must be a host name such as buddy.works";
        static final String REGION_RULE = "is not a region: use Default, COUNTRY-<ISO 3166-1 alpha-2 code, e.g. PL> or "
                + "CONTINENT-<Africa|Antarctica|Asia|Europe|NorthAmerica|Oceania|SouthAmerica>";

        /** The settings a valid body asks for; a subdomain or path left out (or null) is "". */
        RouteSettings settings() {
            Map<String, Target> kept = new LinkedHashMap<>();
            targets.forEach((region, target) -> kept.put(region, target.target()));
            return new RouteSettings(RouteType.valueOf(type), subdomain == null ? "" : subdomain, domain,
                    path == null ? "" : RouteResolver.stripSlashes(path), kept);
        }

        /** This PATCH body over the stored route: the fields it gives replace the stored ones. */
        static RouteBody merged(BuddyBodies.Changes<RouteBody> patch, RouteSettings current) {
            RouteBody b = patch.body();
            Map<String, TargetBody> targets = new LinkedHashMap<>();
            current.targets().forEach((region, target) -> targets.put(region, TargetBody.of(target)));
            return new RouteBody(
                    patch.gives("type") ? b.type() : current.type().name(),
                    patch.gives("subdomain") ? b.subdomain() : current.subdomain(),
                    patch.gives("domain") ? b.domain() : current.domain(),
                    patch.gives("path") ? b.path() : current.path(),
                    patch.gives("targets") ? b.targets() : targets);
        }
    }

    /** Where a region's requests go: EXTERNAL to {@code external_url}, TUNNEL through {@code tunnel}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @TargetFitsType
    record TargetBody(
            @NotNull(message = TARGET_TYPE_RULE)
            @jakarta.validation.constraints.Pattern(regexp = Target.EXTERNAL + "|" + Target.TUNNEL, message = TARGET_TYPE_RULE)
            @Schema(allowableValues = {Target.EXTERNAL, Target.TUNNEL})
            @Nullable String type,
            @Satisfies(value = Rule.EXTERNAL_URL, message = "must be a host name such as kordos.com or an http(s) URL")
            @Schema(name = "external_url", pattern = ContractPatterns.EXTERNAL_URL, maxLength = HostNames.MAX_URL_LENGTH)
            @Nullable String externalUrl,
            @Valid @Nullable TunnelBody tunnel) {
        static final String TARGET_TYPE_RULE = "must be EXTERNAL or TUNNEL";

        Target target() {
            return Target.EXTERNAL.equals(type) ? Target.external(externalUrl) : Target.tunnel(tunnel.id(), tunnel.tunnelId());
        }

        static TargetBody of(Target t) {
            return Target.EXTERNAL.equals(t.type()) ? new TargetBody(t.type(), t.externalUrl(), null)
                    : new TargetBody(t.type(), null, new TunnelBody(t.tunnelId(), t.tunnelTunnelId()));
        }
    }

    /** A Buddy tunnel: its id and the tunnel's own id. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record TunnelBody(
            @NotNull(message = "is required") @jakarta.validation.constraints.Pattern(regexp = TUNNEL_FIELD, message = TUNNEL_RULE)
            @Nullable String id,
            @NotNull(message = "is required") @jakarta.validation.constraints.Pattern(regexp = TUNNEL_FIELD, message = TUNNEL_RULE)
            @Schema(name = "tunnel_id")
            @Nullable String tunnelId) {
        /** Anchored as JSON Schema needs it (a search, {@code $} admits a final line break); the same for {@code matches()}. */
        static final String TUNNEL_FIELD = "^[A-Za-z0-9._-]{1,100}(?![\\s\\S])";
        static final String TUNNEL_RULE = "must be letters, digits, '.', '_' or '-' (at most 100 characters)";
    }
}
