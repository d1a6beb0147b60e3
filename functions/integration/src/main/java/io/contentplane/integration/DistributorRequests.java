package io.contentplane.integration;

import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.integration.WebhookMeta.Authentication;
import io.contentplane.domain.webhook.WebhookTargetGuard;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code meta} of distributor requests (seeds 000/001). On update, fields of {@code meta}
 * that are left out keep their value, {@code "meta": null} removes the webhook and
 * {@code "authentication"} is replaced as a whole (null removes it). The result is validated
 * as a whole: host and path required, Basic needs username and password, Token needs token.
 */
@Singleton
public class DistributorRequests {
    static final int DEFAULT_METHOD = 2; // POST: deliveries carry a JSON payload
    static final int MAX_PATH = 2048;
    static final int MAX_CREDENTIAL = 1024;
    static final int MAX_TOKEN = 4096;
    private static final Set<String> META_FIELDS = Set.of("host", "path", "method", "authentication");
    private static final Set<String> AUTH_FIELDS = Set.of("type", "username", "password", "token");

    private final WebhookTargetGuard guard;

    public DistributorRequests(WebhookTargetGuard guard) {
        this.guard = guard;
    }

    /** The meta of a create request: absent or null means none. */
    @Nullable
    WebhookMeta forCreate(Map<String, Object> body) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonBodies.rejectUnknown(body, Set.of("meta"), "", errors);
        WebhookMeta meta = merge(null, body.get("meta"), errors);
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
        return meta;
    }

    /** Checks an update body before the store applies it (unknown fields, types). */
    void checkUpdate(Map<String, Object> body) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonBodies.rejectUnknown(body, Set.of("meta"), "", errors);
        if (body.containsKey("meta") && body.get("meta") != null && !(body.get("meta") instanceof Map)) {
            errors.put("meta", "must be an object or null");
        }
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
    }

    /** Applies an update body to the stored meta. */
    @Nullable
    WebhookMeta applyUpdate(@Nullable WebhookMeta current, Map<String, Object> body) {
        if (!body.containsKey("meta")) {
            return current;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        WebhookMeta meta = merge(current, body.get("meta"), errors);
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
        return meta;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private WebhookMeta merge(@Nullable WebhookMeta current, Object value, Map<String, String> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            errors.put("meta", "must be an object or null");
            return null;
        }
        Map<String, Object> meta = (Map<String, Object>) raw;
        JsonBodies.rejectUnknown(meta, META_FIELDS, "meta.", errors);

        String host = meta.containsKey("host") ? string(meta.get("host"), "meta.host", 2048, errors)
                : current == null ? missing("meta.host", errors) : current.host();
        if (host != null && meta.containsKey("host")) {
            List<String> problems = guard.checkHost(host);
            if (!problems.isEmpty()) {
                errors.put("meta.host", String.join("; ", problems));
            }
        }
        String path = meta.containsKey("path") ? string(meta.get("path"), "meta.path", MAX_PATH, errors)
                : current == null ? missing("meta.path", errors) : current.path();
        if (path != null && meta.containsKey("path") && (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 127))) {
            errors.put("meta.path", "must start with '/' and contain no spaces or control characters");
        }
        int method = current == null ? DEFAULT_METHOD : current.method();
        if (meta.containsKey("method")) {
            Long m = JsonBodies.integer(meta.get("method"));
            if (m == null || m < 1 || m > 5) {
                errors.put("meta.method", "must be 1 (GET), 2 (POST), 3 (PUT), 4 (PATCH) or 5 (DELETE)");
            } else {
                method = m.intValue();
            }
        }
        Authentication auth = current == null ? null : current.authentication();
        if (meta.containsKey("authentication")) {
            auth = authentication(meta.get("authentication"), errors);
        }
        return errors.isEmpty() ? new WebhookMeta(host, path, method, auth) : null;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private static Authentication authentication(Object value, Map<String, String> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            errors.put("meta.authentication", "must be an object or null");
            return null;
        }
        Map<String, Object> auth = (Map<String, Object>) raw;
        JsonBodies.rejectUnknown(auth, AUTH_FIELDS, "meta.authentication.", errors);
        Long type = JsonBodies.integer(auth.get("type"));
        if (type == null || (type != Authentication.BASIC && type != Authentication.TOKEN)) {
            errors.put("meta.authentication.type", "must be 1 (Basic) or 2 (Token)");
            return null;
        }
        if (type == Authentication.BASIC) {
            String username = auth.containsKey("username")
                    ? string(auth.get("username"), "meta.authentication.username", MAX_CREDENTIAL, errors)
                    : missing("meta.authentication.username", errors);
            String password = auth.containsKey("password")
                    ? string(auth.get("password"), "meta.authentication.password", MAX_CREDENTIAL, errors)
                    : missing("meta.authentication.password", errors);
            if (auth.containsKey("token")) {
                errors.put("meta.authentication.token", "not used by Basic authentication (type 1)");
            }
            if (username != null && username.contains(":")) {
                errors.put("meta.authentication.username", "must not contain ':' (Basic authentication)");
            }
            return new Authentication(1, username, password, null);
        }
        String token = auth.containsKey("token")
                ? string(auth.get("token"), "meta.authentication.token", MAX_TOKEN, errors)
                : missing("meta.authentication.token", errors);
        for (String field : List.of("username", "password")) {
            if (auth.containsKey(field)) {
                errors.put("meta.authentication." + field, "not used by Token authentication (type 2)");
            }
        }
        return new Authentication(2, null, null, token);
    }

    @Nullable
    private static String string(Object value, String field, int max, Map<String, String> errors) {
        if (!(value instanceof String s) || s.isEmpty()) {
            errors.put(field, "must be a non-empty string");
            return null;
        }
        if (s.length() > max) {
            errors.put(field, "must be at most " + max + " characters");
            return null;
        }
        return s;
    }

    @Nullable
    private static String missing(String field, Map<String, String> errors) {
        errors.put(field, "required when meta is given");
        return null;
    }
}
