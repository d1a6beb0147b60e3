package io.contentplane.distributions;

import io.contentplane.domain.distribution.DistributionScope;
import io.contentplane.domain.distribution.DistributionSettings;
import io.contentplane.domain.distribution.Identifiers;
import io.contentplane.domain.distribution.Permissions;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads create and update bodies of distributions. Create: {@code name} and {@code scope}
 * required; {@code identifier} generated from the name when left out (or null);
 * {@code project_name} exactly for PROJECT, {@code environment_id} exactly for ENVIRONMENT;
 * {@code permissions} default to {@code {"others":"DEFAULT","users":[],"groups":[]}}. Update
 * (PATCH): the same fields plus {@code disabled}, all optional; left out means unchanged, and
 * {@code permissions} are replaced as a whole (null restores the default).
 */
final class DistributionRequests {
    static final int MAX_NAME = 255;
    static final int MAX_GRANTS = 1000;
    private static final Set<String> CREATE_FIELDS =
            Set.of("name", "scope", "identifier", "project_name", "environment_id", "permissions");
    private static final Set<String> UPDATE_FIELDS =
            Set.of("name", "scope", "identifier", "project_name", "environment_id", "permissions", "disabled");
    /** Project names and environment ids: URL-safe, and free of the {@code #} store keys use. */
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    private static final String IDENTIFIER_RULE =
            "identifier may contain only letters, digits, '_' and '-', must not start or end with '-' and has at most "
                    + Identifiers.MAX_LENGTH + " characters";

    private DistributionRequests() {
    }

    static DistributionSettings forCreate(Map<String, Object> body) {
        List<String> errors = new ArrayList<>();
        RequestBodies.rejectUnknown(body, CREATE_FIELDS, "", errors);
        String name = body.get("name") == null ? missing("name", errors) : name(body.get("name"), errors);
        DistributionScope scope = null;
        if (body.get("scope") == null) {
            errors.add("scope is required");
        } else {
            scope = scope(body.get("scope"), errors);
        }
        String identifier = body.get("identifier") == null ? null : identifier(body.get("identifier"), errors);
        String projectName = owner(body, "project_name", scope, DistributionScope.PROJECT, null, errors);
        String environmentId = owner(body, "environment_id", scope, DistributionScope.ENVIRONMENT, null, errors);
        Permissions permissions = body.get("permissions") == null ? Permissions.defaults() : permissions(body.get("permissions"), errors);
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        return new DistributionSettings(name, identifier, false, scope, projectName, environmentId, permissions);
    }

    static DistributionSettings applyUpdate(DistributionSettings current, Map<String, Object> body) {
        List<String> errors = new ArrayList<>();
        RequestBodies.rejectUnknown(body, UPDATE_FIELDS, "", errors);
        String name = body.containsKey("name") ? name(body.get("name"), errors) : current.name();
        DistributionScope scope = body.containsKey("scope") ? scope(body.get("scope"), errors) : current.scope();
        String identifier = current.identifier();
        if (body.containsKey("identifier")) {
            identifier = body.get("identifier") == null ? missing("identifier", errors) : identifier(body.get("identifier"), errors);
        }
        String projectName = owner(body, "project_name", scope, DistributionScope.PROJECT,
                current.scope() == DistributionScope.PROJECT ? current.projectName() : null, errors);
        String environmentId = owner(body, "environment_id", scope, DistributionScope.ENVIRONMENT,
                current.scope() == DistributionScope.ENVIRONMENT ? current.environmentId() : null, errors);
        boolean disabled = current.disabled();
        if (body.containsKey("disabled")) {
            if (body.get("disabled") instanceof Boolean b) {
                disabled = b;
            } else {
                errors.add("disabled must be true or false");
            }
        }
        Permissions permissions = current.permissions();
        if (body.containsKey("permissions")) {
            permissions = body.get("permissions") == null ? Permissions.defaults() : permissions(body.get("permissions"), errors);
        }
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        return new DistributionSettings(name, identifier, disabled, scope, projectName, environmentId, permissions);
    }

    @Nullable
    private static String name(Object value, List<String> errors) {
        if (!(value instanceof String s) || s.isBlank()) {
            errors.add("name must be a non-empty string");
            return null;
        }
        if (s.trim().length() > MAX_NAME) {
            errors.add("name must be at most " + MAX_NAME + " characters");
            return null;
        }
        return s.trim();
    }

    @Nullable
    private static DistributionScope scope(Object value, List<String> errors) {
        for (DistributionScope scope : DistributionScope.values()) {
            if (scope.name().equals(value)) {
                return scope;
            }
        }
        errors.add("scope must be one of WORKSPACE, PROJECT, ENVIRONMENT");
        return null;
    }

    @Nullable
    private static String identifier(Object value, List<String> errors) {
        if (!(value instanceof String s) || !Identifiers.isValid(s)) {
            errors.add(IDENTIFIER_RULE);
            return null;
        }
        return s;
    }

    /**
     * {@code project_name} or {@code environment_id}: required when the resulting scope is the one
     * that uses it (a PATCH keeps the stored value), refused with any other scope.
     */
    @Nullable
    private static String owner(Map<String, Object> body, String field, @Nullable DistributionScope scope,
                                DistributionScope usedBy, @Nullable String stored, List<String> errors) {
        Object value = body.get(field);
        if (scope == null) {
            return null; // the scope itself is already reported
        }
        if (scope != usedBy) {
            if (value != null) {
                errors.add(field + " is only used with scope " + usedBy);
            }
            return null;
        }
        if (value == null) {
            if (body.containsKey(field) || stored == null) {
                errors.add(field + " is required for scope " + usedBy);
            }
            return stored;
        }
        if (!(value instanceof String s) || !OWNER.matcher(s).matches()) {
            errors.add(field + " may contain only letters, digits, '.', '_' and '-' (at most 100 characters, "
                    + "not starting or ending with '.', '_' or '-')");
            return null;
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private static Permissions permissions(Object value, List<String> errors) {
        if (!(value instanceof Map<?, ?> raw)) {
            errors.add("permissions must be an object");
            return null;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        RequestBodies.rejectUnknown(map, Set.of("others", "users", "groups"), "permissions.", errors);
        String others = null;
        if (map.containsKey("others")) {
            others = accessLevel(map.get("others"), "permissions.others", errors);
        }
        List<Permissions.Grant> users = map.containsKey("users") ? grants(map.get("users"), "permissions.users", "user", errors) : null;
        List<Permissions.Grant> groups = map.containsKey("groups") ? grants(map.get("groups"), "permissions.groups", "group", errors) : null;
        return new Permissions(others, users, groups);
    }

    @SuppressWarnings("unchecked")
    @Nullable
    private static List<Permissions.Grant> grants(Object value, String field, String kind, List<String> errors) {
        if (!(value instanceof List<?> list)) {
            errors.add(field + " must be an array");
            return null;
        }
        if (list.size() > MAX_GRANTS) {
            errors.add(field + " may hold at most " + MAX_GRANTS + " entries");
            return null;
        }
        List<Permissions.Grant> grants = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                errors.add(at + " must be an object with id and access_level");
                continue;
            }
            Map<String, Object> grant = (Map<String, Object>) raw;
            RequestBodies.rejectUnknown(grant, Set.of("id", "access_level"), at + ".", errors);
            Long id = RequestBodies.integer(grant.get("id"));
            if (id == null || id < 1) {
                errors.add(at + ".id must be a positive integer");
            } else if (!seen.add(id)) {
                errors.add(at + ".id repeats " + kind + " " + id);
            }
            String level = accessLevel(grant.get("access_level"), at + ".access_level", errors);
            if (id != null && level != null) {
                grants.add(new Permissions.Grant(id, level));
            }
        }
        return List.copyOf(grants);
    }

    @Nullable
    private static String accessLevel(Object value, String field, List<String> errors) {
        if (value instanceof String s && Permissions.ACCESS_LEVELS.contains(s)) {
            return s;
        }
        errors.add(field + " must be one of " + String.join(", ", Permissions.ACCESS_LEVELS));
        return null;
    }

    @Nullable
    private static String missing(String field, List<String> errors) {
        errors.add(field + " is required");
        return null;
    }
}
