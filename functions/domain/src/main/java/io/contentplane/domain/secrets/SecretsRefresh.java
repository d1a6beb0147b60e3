package io.contentplane.domain.secrets;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.context.scope.refresh.RefreshEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * When the functions read their secrets: {@link #initial} while the function initialises (before the
 * SnapStart snapshot), and {@link #afterRestore} every time Lambda restores a snapshot into a new
 * execution environment. A snapshot is taken when a version is published (each deploy), so without
 * the second read a rotated secret would only reach the functions with the next deploy; with it,
 * every new execution environment starts with the current values. A value that changed is put into
 * the environment and announced with a {@link RefreshEvent}. Micronaut's refresh scope is off in
 * Lambda environments, so the beans that use a secret read its property on each use (the platform
 * key, the default node's operator secret) and the pool takes new database credentials for new
 * connections ({@code JdbcPriming}). The data encryption key is never swapped in a running function
 * (data encrypted with the old key would become unreadable): a changed one is logged and waits for
 * the next deploy.
 * If Secrets Manager cannot be reached after a restore, the snapshot's values stay (logged, by
 * variable name only): the function keeps serving rather than failing every request.
 */
public final class SecretsRefresh {
    /** Above system properties and the command line: a secret named by ARN wins over any other value. */
    public static final int ORDER = 100;
    static final String SOURCE = "secrets-manager";
    private static final Logger LOG = LoggerFactory.getLogger(SecretsRefresh.class);

    private SecretsRefresh() {
    }

    /** The property source of the secrets the environment names, or null when it names none. */
    public static PropertySource initial(Map<String, String> environment) {
        Map<String, Object> secrets = RuntimeSecrets.load(environment);
        return secrets.isEmpty() ? null : PropertySource.of(SOURCE, secrets, ORDER);
    }

    /** {@code builder} with the secrets the environment names, read before the context starts. */
    public static ApplicationContextBuilder initial(ApplicationContextBuilder builder, Map<String, String> environment) {
        PropertySource secrets = initial(environment);
        return secrets == null ? builder : builder.propertySources(secrets);
    }

    /**
     * Re-reads the named secrets and applies the ones that changed; answers the properties that
     * changed (their names only).
     */
    public static Map<String, Object> afterRestore(ApplicationContext context, Map<String, String> environment) {
        if (!RuntimeSecrets.named(environment)) {
            return Map.of();
        }
        Map<String, Object> fresh;
        try {
            fresh = RuntimeSecrets.load(environment);
        } catch (RuntimeException e) {
            LOG.warn("Secrets not re-read after restore, the snapshot's values stay: {}", e.getMessage());
            return Map.of();
        }
        Environment env = context.getEnvironment();
        Map<String, Object> changed = new HashMap<>();
        for (RuntimeSecrets.Binding binding : RuntimeSecrets.BINDINGS) {
            for (String property : binding.propertyByKey().values()) {
                Object value = fresh.get(property);
                if (value == null || Objects.equals(value, env.getProperty(property, String.class).orElse(null))) {
                    continue;
                }
                if (binding.refreshable()) {
                    changed.put(property, value);
                } else {
                    LOG.warn("Secret {} changed since the snapshot; kept until the next deploy", binding.arnVariable());
                }
            }
        }
        if (changed.isEmpty()) {
            return Map.of();
        }
        env.addPropertySource(PropertySource.of(SOURCE + "-restored", changed, ORDER + 1));
        LOG.info("Secrets changed since the snapshot: {}", changed.keySet());
        context.publishEvent(new RefreshEvent(changed));
        return Map.copyOf(changed);
    }
}
