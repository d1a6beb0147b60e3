package io.contentplane.distributions;

import io.contentplane.distributions.BodyRules.OwnerFitsScope;
import io.contentplane.distributions.BodyRules.Rule;
import io.contentplane.distributions.BodyRules.Satisfies;
import io.contentplane.distributions.BodyRules.UniqueGrantIds;
import io.contentplane.distributions.BuddyBodies.Create;
import io.contentplane.distributions.BuddyBodies.Update;
import io.contentplane.domain.distribution.DistributionScope;
import io.contentplane.domain.distribution.DistributionSettings;
import io.contentplane.domain.distribution.Identifiers;
import io.contentplane.domain.distribution.Permissions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Create and update bodies of distributions. Create: {@code name} and {@code scope} required;
 * {@code identifier} generated from the name when left out (or null); {@code project_name}
 * exactly for PROJECT, {@code environment_id} exactly for ENVIRONMENT; {@code permissions} default
 * to {@code {"others":"DEFAULT","users":[],"groups":[]}}. Update (PATCH): the same fields plus
 * {@code disabled}, all optional; left out means unchanged, and {@code permissions} are replaced as
 * a whole (null restores the default).
 */
final class DistributionRequests {
    static final int MAX_GRANTS = 1000;
    static final Pattern SCOPE = Pattern.compile(DistributionBody.SCOPES);

    private DistributionRequests() {
    }

    /** A distribution as the client writes it: the create body, and the result of a PATCH over the stored one. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @OwnerFitsScope
    record DistributionBody(
            @NotNull(message = "is required", groups = Create.class)
            @NotNull(message = NON_EMPTY, groups = Update.class)
            @jakarta.validation.constraints.Pattern(regexp = "^[\\s\\S]*\\S[\\s\\S]*$", message = NON_EMPTY)
            @Size(max = 255, message = "must be at most 255 characters")
            @Nullable String name,
            @NotNull(message = "is required", groups = Create.class)
            @NotNull(message = SCOPE_RULE, groups = Update.class)
            @jakarta.validation.constraints.Pattern(regexp = SCOPES, message = SCOPE_RULE)
            @Schema(allowableValues = {"WORKSPACE", "PROJECT", "ENVIRONMENT"})
            @Nullable String scope,
            @NotNull(message = "is required", groups = Update.class)
            @Satisfies(value = Rule.IDENTIFIER, message = IDENTIFIER_RULE)
            @Schema(pattern = "^" + Identifiers.PATTERN + "(?![\\s\\S])", description = IDENTIFIER_RULE)
            @Nullable String identifier,
            @jakarta.validation.constraints.Pattern(regexp = OWNER, message = OWNER_RULE)
            @Schema(name = "project_name")
            @Nullable String projectName,
            @jakarta.validation.constraints.Pattern(regexp = OWNER, message = OWNER_RULE)
            @Schema(name = "environment_id")
            @Nullable String environmentId,
            @Null(message = "is not a known field", groups = Create.class)
            @NotNull(message = "must be true or false", groups = Update.class)
            @Nullable Boolean disabled,
            @Valid @Nullable PermissionsBody permissions) implements BuddyBodies.Body, BodyRules.Owned {
        static final String SCOPES = "WORKSPACE|PROJECT|ENVIRONMENT";
        static final String NON_EMPTY = "must be a non-empty string";
        static final String SCOPE_RULE = "must be one of WORKSPACE, PROJECT, ENVIRONMENT";
        static final String IDENTIFIER_RULE = "may contain only letters, digits, '_' and '-', must not start or end with '-' "
                + "and has at most 100 characters";
        /**
         * Project names and environment ids: URL-safe, and free of the {@code #} store keys use.
         * Anchored as JSON Schema needs it (its pattern is a search; {@code $} admits a final line
         * break): the same rule for Java's {@code matches()}.
         */
        static final String OWNER = "^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?(?![\\s\\S])";
        static final String OWNER_RULE = "may contain only letters, digits, '.', '_' and '-' (at most 100 characters, "
                + "not starting or ending with '.', '_' or '-')";

        /** The settings a valid create body asks for. */
        DistributionSettings created() {
            return new DistributionSettings(name.trim(), identifier, false, DistributionScope.valueOf(scope), projectName,
                    environmentId, permissions == null ? Permissions.defaults() : permissions.permissions());
        }

        /** The settings a valid merged update body asks for. */
        DistributionSettings updated() {
            return new DistributionSettings(name.trim(), identifier, disabled, DistributionScope.valueOf(scope), projectName,
                    environmentId, permissions == null ? Permissions.defaults() : permissions.permissions());
        }

        /**
         * This PATCH body over the stored settings: the fields it gives replace the stored ones. A
         * stored project name or environment id stays only while the scope that uses it does.
         */
        static DistributionBody merged(BuddyBodies.Changes<DistributionBody> patch, DistributionSettings current) {
            DistributionBody b = patch.body();
            String scope = patch.gives("scope") ? b.scope() : current.scope().name();
            return new DistributionBody(
                    patch.gives("name") ? b.name() : current.name(),
                    scope,
                    patch.gives("identifier") ? b.identifier() : current.identifier(),
                    patch.gives("project_name") ? b.projectName() : stored(current.projectName(), current, scope, DistributionScope.PROJECT),
                    patch.gives("environment_id") ? b.environmentId()
                            : stored(current.environmentId(), current, scope, DistributionScope.ENVIRONMENT),
                    patch.gives("disabled") ? b.disabled() : Boolean.valueOf(current.disabled()),
                    patch.gives("permissions") ? b.permissions() : PermissionsBody.of(current.permissions()));
        }

        @Nullable
        private static String stored(@Nullable String value, DistributionSettings current, String scope, DistributionScope usedBy) {
            return current.scope() == usedBy && usedBy.name().equals(scope) ? value : null;
        }
    }

    /** Who may do what: an access level for everyone else and per user and group. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @UniqueGrantIds
    record PermissionsBody(
            @jakarta.validation.constraints.Pattern(regexp = GrantBody.LEVELS, message = GrantBody.LEVEL_RULE)
            @Nullable String others,
            @Size(max = MAX_GRANTS, message = "may hold at most " + MAX_GRANTS + " entries")
            @Nullable List<@Valid GrantBody> users,
            @Size(max = MAX_GRANTS, message = "may hold at most " + MAX_GRANTS + " entries")
            @Nullable List<@Valid GrantBody> groups) {

        Permissions permissions() {
            return new Permissions(others, grants(users), grants(groups));
        }

        @Nullable
        static PermissionsBody of(Permissions p) {
            return new PermissionsBody(p.others(), bodies(p.users()), bodies(p.groups()));
        }

        @Nullable
        private static List<Permissions.Grant> grants(@Nullable List<GrantBody> grants) {
            return grants == null ? null : grants.stream().map(g -> new Permissions.Grant(g.id(), g.accessLevel())).toList();
        }

        @Nullable
        private static List<GrantBody> bodies(@Nullable List<Permissions.Grant> grants) {
            return grants == null ? null : grants.stream().map(g -> new GrantBody(g.id(), g.accessLevel())).toList();
        }
    }

    /** One user's or group's access level. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record GrantBody(
            @NotNull(message = POSITIVE) @Positive(message = POSITIVE)
            @Schema(maximum = "9223372036854775807") // read as a long
            @Nullable Long id,
            @NotNull(message = LEVEL_RULE) @jakarta.validation.constraints.Pattern(regexp = LEVELS, message = LEVEL_RULE)
            @Schema(name = "access_level")
            @Nullable String accessLevel) {
        static final String POSITIVE = "must be a positive integer";
        /**
         * {@link Permissions#ACCESS_LEVELS}, as constants for the annotations; anchored as JSON Schema
         * reads a pattern (a search), the same rule for {@code matches()} (an enum would refuse null others).
         */
        static final String LEVELS = "^(?:DENIED|READ_ONLY|RUN_ONLY|READ_WRITE|MANAGE|DEFAULT)(?![\\s\\S])";
        static final String LEVEL_RULE = "must be one of DENIED, READ_ONLY, RUN_ONLY, READ_WRITE, MANAGE, DEFAULT";
    }
}
