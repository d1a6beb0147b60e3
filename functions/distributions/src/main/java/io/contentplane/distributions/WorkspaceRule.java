package io.contentplane.distributions;

import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tenancy of the distributions API, checked before the endpoint's scope ({@code @Secured}, the next
 * rule): a workspace the token does not list in its {@code workspaces} claim is answered 404 as if
 * it did not exist, so that existence does not leak (not 403, which would confirm it). Requests
 * without a valid token pass on to the scope rule, which refuses them with 401.
 */
@Singleton
public class WorkspaceRule implements SecurityRule<HttpRequest<?>> {
    /** Buddy workspace domains; anything else cannot exist. Keeps {@code #} out of store keys. */
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    static final int ORDER = SecuredAnnotationRule.ORDER - 10;

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (authentication == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        RouteMatch<?> route = request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class).orElse(null);
        Object workspace = route == null ? null : route.getVariableValues().get("workspace");
        if (!(workspace instanceof String name) || !request.getPath().startsWith(BuddyErrors.PREFIX + "/")) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        if (!WORKSPACE.matcher(name).matches()
                || !(authentication.getAttributes().get("workspaces") instanceof List<?> listed) || !listed.contains(name)) {
            return Publishers.just(new ResourceNotFoundException("Workspace"));
        }
        return Publishers.just(SecurityRuleResult.UNKNOWN);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
