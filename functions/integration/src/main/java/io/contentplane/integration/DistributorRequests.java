package io.contentplane.integration;

import io.contentplane.domain.integration.InvalidRequestException;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.webhook.WebhookTargetGuard;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a distributor request's {@code meta} (each field already of its type and within its
 * bounds: {@link DistributorBodies}) into the webhook to store. On update, fields of {@code meta}
 * left out keep their value, {@code "meta": null} removes the webhook and {@code "authentication"}
 * is replaced as a whole (null removes it). What depends on the merge is checked here: host and path
 * required, the host a public https:// target, Basic with username and password, Token with token.
 */
@Singleton
public class DistributorRequests {
    static final int DEFAULT_METHOD = 2; // POST: deliveries carry a JSON payload

    private final WebhookTargetGuard guard;

    public DistributorRequests(WebhookTargetGuard guard) {
        this.guard = guard;
    }

    /** The webhook of a create request: no meta, or null, means none. */
    @Nullable
    WebhookMeta forCreate(DistributorBodies.Create body) {
        return merge(null, body.meta());
    }

    /** The webhook after an update of {@code current}. */
    @Nullable
    WebhookMeta applyUpdate(@Nullable WebhookMeta current, DistributorBodies.Update body) {
        return body.given("meta") ? merge(current, body.getMeta()) : current;
    }

    @Nullable
    private WebhookMeta merge(@Nullable WebhookMeta current, @Nullable DistributorBodies.Meta meta) {
        if (meta == null) {
            return null;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String host = meta.given("host") ? given(meta.getHost(), "meta.host", errors)
                : current == null ? missing("meta.host", errors) : current.host();
        if (host != null && meta.given("host")) {
            List<String> problems = guard.checkHost(host);
            if (!problems.isEmpty()) {
                errors.put("meta.host", String.join("; ", problems));
            }
        }
        String path = meta.given("path") ? given(meta.getPath(), "meta.path", errors)
                : current == null ? missing("meta.path", errors) : current.path();
        int method = current == null ? DEFAULT_METHOD : current.method();
        if (meta.given("method")) {
            if (meta.getMethod() == null) {
                errors.put("meta.method", DistributorBodies.METHODS);
            } else {
                method = meta.getMethod();
            }
        }
        WebhookMeta.Authentication auth = current == null ? null : current.authentication();
        if (meta.given("authentication")) {
            auth = authentication(meta.getAuthentication(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Request validation failed", errors);
        }
        return new WebhookMeta(host, path, method, auth);
    }

    @Nullable
    private static WebhookMeta.Authentication authentication(@Nullable DistributorBodies.Authentication auth, Map<String, String> errors) {
        if (auth == null) {
            return null;
        }
        String prefix = "meta.authentication.";
        if (auth.getType() == WebhookMeta.Authentication.BASIC) {
            String username = auth.given("username") ? given(auth.getUsername(), prefix + "username", errors) : missing(prefix + "username", errors);
            String password = auth.given("password") ? given(auth.getPassword(), prefix + "password", errors) : missing(prefix + "password", errors);
            if (auth.given("token")) {
                errors.put(prefix + "token", "not used by Basic authentication (type 1)");
            }
            return new WebhookMeta.Authentication(WebhookMeta.Authentication.BASIC, username, password, null);
        }
        String token = auth.given("token") ? given(auth.getToken(), prefix + "token", errors) : missing(prefix + "token", errors);
        for (String field : List.of("username", "password")) {
            if (auth.given(field)) {
                errors.put(prefix + field, "not used by Token authentication (type 2)");
            }
        }
        return new WebhookMeta.Authentication(WebhookMeta.Authentication.TOKEN, null, null, token);
    }

    /** A field that was sent: null is not a value. */
    @Nullable
    private static String given(@Nullable String value, String field, Map<String, String> errors) {
        if (value == null) {
            errors.put(field, AuthBodies.NON_EMPTY_STRING);
        }
        return value;
    }

    @Nullable
    private static String missing(String field, Map<String, String> errors) {
        errors.put(field, "required when meta is given");
        return null;
    }
}
