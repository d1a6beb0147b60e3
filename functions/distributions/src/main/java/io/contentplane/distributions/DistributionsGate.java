package io.contentplane.distributions;

import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every distributions request passes before its endpoint runs: a valid bearer token (else
 * 401), the workspace among the token's {@code workspaces} (else 404, as if it did not exist, so
 * that existence does not leak), then the endpoint's scope (else 403). Scopes are independent:
 * DISTRIBUTION_MANAGE does not imply DISTRIBUTION_INFO.
 */
@Singleton
public class DistributionsGate {
    /** Buddy workspace domains; anything else cannot exist. Keeps {@code #} out of store keys. */
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    private static final String REALM = "Bearer realm=\"distributions\"";

    private final DistributionTokens tokens;

    public DistributionsGate(DistributionTokens tokens) {
        this.tokens = tokens;
    }

    DistributionTokens.Principal authorize(HttpRequest<?> request, String workspace, String scope) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Authorization header with a Bearer token is required", REALM);
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw unauthorized("Authorization must be 'Bearer <token>'", REALM);
        }
        DistributionTokens.Principal principal = tokens.verify(parts[1]).orElseThrow(
                () -> unauthorized("Token is invalid or expired", REALM + ", error=\"invalid_token\""));
        if (!WORKSPACE.matcher(workspace).matches() || !principal.workspaces().contains(workspace)) {
            throw new ResourceNotFoundException("Workspace");
        }
        if (!principal.scopes().contains(scope)) {
            throw new DistributionsException(HttpStatus.FORBIDDEN, List.of("Token lacks the " + scope + " scope"),
                    Map.of(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\""));
        }
        return principal;
    }

    private static DistributionsException unauthorized(String message, String challenge) {
        return new DistributionsException(HttpStatus.UNAUTHORIZED, List.of(message), Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }
}
