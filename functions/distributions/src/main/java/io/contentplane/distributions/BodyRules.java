package io.contentplane.distributions;

import io.contentplane.domain.distribution.DistributionScope;
import io.contentplane.domain.distribution.HostNames;
import io.contentplane.domain.distribution.Identifiers;
import io.contentplane.domain.distribution.Regions;
import io.contentplane.domain.distribution.RouteResolver;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The constraints of Buddy request bodies that the standard ones cannot say: {@link Satisfies}
 * (a value checked by a domain rule: host names, identifiers, paths, regions) and the rules that
 * relate fields of one body ({@link OwnerFitsScope}, {@link UniqueGrantIds}, {@link TargetFitsType},
 * {@link RouteTargets}). Messages follow Buddy's wording; the body's path to the field is put in
 * front of them when they are reported ({@link BuddyBodies}).
 */
final class BodyRules {
    private BodyRules() {
    }

    /** A violation with its own message instead of the constraint's. */
    private static ConstraintValidatorContext.ConstraintViolationBuilder violation(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        return context.buildConstraintViolationWithTemplate(message);
    }

    /** The domain rules a single value can be checked against. */
    enum Rule {
        IDENTIFIER(Identifiers::isValid),
        DOMAIN(HostNames::isDomain),
        /** Empty (the domain itself) or DNS labels. */
        SUBDOMAIN(s -> s.isEmpty() || HostNames.isSubdomain(s)),
        EXTERNAL_URL(HostNames::isExternalUrl),
        /** RFC 3986 path segments (pchar), stored without leading or trailing slashes. */
        URL_PATH(s -> {
            String path = RouteResolver.stripSlashes(s);
            return path.isEmpty() || path.length() <= RouteRequests.MAX_PATH && RouteRequests.PATH.matcher(path).matches();
        }),
        REGION(Regions::isRegionKey);

        private final Predicate<String> test;

        Rule(Predicate<String> test) {
            this.test = test;
        }
    }

    /** The string (when given) satisfies a domain {@link Rule}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE})
    @Constraint(validatedBy = {})
    @interface Satisfies {
        Rule value();

        String message();

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    @Singleton
    static final class SatisfiesValidator implements ConstraintValidator<Satisfies, String> {
        @Override
        public boolean isValid(@Nullable String value, @NonNull AnnotationValue<Satisfies> annotation,
                               @NonNull ConstraintValidatorContext context) {
            return value == null || annotation.enumValue("value", Rule.class).orElseThrow().test.test(value);
        }
    }

    /**
     * {@code project_name} is given exactly for scope PROJECT and {@code environment_id} exactly for
     * ENVIRONMENT (an unknown scope is reported on its own).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = {})
    @interface OwnerFitsScope {
        String message() default "owner does not fit the scope";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A distribution body's scope and owner fields, as {@link OwnerFitsScope} reads them. */
    interface Owned {
        @Nullable
        String scope();

        @Nullable
        String projectName();

        @Nullable
        String environmentId();
    }

    @Singleton
    static final class OwnerFitsScopeValidator implements ConstraintValidator<OwnerFitsScope, Owned> {
        @Override
        public boolean isValid(@Nullable Owned body, @NonNull AnnotationValue<OwnerFitsScope> annotation,
                               @NonNull ConstraintValidatorContext context) {
            if (body == null || body.scope() == null || !DistributionRequests.SCOPE.matcher(body.scope()).matches()) {
                return true;
            }
            DistributionScope scope = DistributionScope.valueOf(body.scope());
            boolean project = fits(context, "project_name", body.projectName(), scope, DistributionScope.PROJECT);
            boolean environment = fits(context, "environment_id", body.environmentId(), scope, DistributionScope.ENVIRONMENT);
            return project && environment;
        }

        private static boolean fits(ConstraintValidatorContext context, String field, @Nullable String value,
                                    DistributionScope scope, DistributionScope usedBy) {
            if (scope == usedBy && value == null) {
                violation(context, "is required for scope " + usedBy).addPropertyNode(field).addConstraintViolation();
                return false;
            }
            if (scope != usedBy && value != null) {
                violation(context, "is only used with scope " + usedBy).addPropertyNode(field).addConstraintViolation();
                return false;
            }
            return true;
        }
    }

    /** No user (group) is granted twice. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = {})
    @interface UniqueGrantIds {
        String message() default "grants repeat an id";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    @Singleton
    static final class UniqueGrantIdsValidator implements ConstraintValidator<UniqueGrantIds, DistributionRequests.PermissionsBody> {
        @Override
        public boolean isValid(@Nullable DistributionRequests.PermissionsBody body, @NonNull AnnotationValue<UniqueGrantIds> annotation,
                               @NonNull ConstraintValidatorContext context) {
            if (body == null) {
                return true;
            }
            boolean users = unique(context, "users", "user", body.users());
            boolean groups = unique(context, "groups", "group", body.groups());
            return users && groups;
        }

        private static boolean unique(ConstraintValidatorContext context, String field, String kind,
                                      @Nullable List<DistributionRequests.GrantBody> grants) {
            if (grants == null) {
                return true;
            }
            Set<Long> seen = new HashSet<>();
            boolean valid = true;
            for (int i = 0; i < grants.size(); i++) {
                Long id = grants.get(i) == null ? null : grants.get(i).id();
                if (id != null && !seen.add(id)) {
                    violation(context, "repeats " + kind + " " + id)
                            .addPropertyNode(field).addPropertyNode("id").inIterable().atIndex(i).addConstraintViolation();
                    valid = false;
                }
            }
            return valid;
        }
    }

    /**
     * A target has the fields of its type and no others: EXTERNAL an {@code external_url}, TUNNEL a
     * {@code tunnel} (another type is reported on its own).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = {})
    @interface TargetFitsType {
        String message() default "target does not fit its type";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    @Singleton
    static final class TargetFitsTypeValidator implements ConstraintValidator<TargetFitsType, RouteRequests.TargetBody> {
        @Override
        public boolean isValid(@Nullable RouteRequests.TargetBody target, @NonNull AnnotationValue<TargetFitsType> annotation,
                               @NonNull ConstraintValidatorContext context) {
            if (target == null) {
                return true;
            }
            if (io.contentplane.domain.distribution.Target.EXTERNAL.equals(target.type())) {
                return allowed(context, "tunnel", target.tunnel() == null)
                        & required(context, "external_url", "is required for type EXTERNAL", target.externalUrl() != null);
            }
            if (io.contentplane.domain.distribution.Target.TUNNEL.equals(target.type())) {
                return allowed(context, "external_url", target.externalUrl() == null)
                        & required(context, "tunnel", "is required for type TUNNEL: an object with id and tunnel_id", target.tunnel() != null);
            }
            return true;
        }

        private static boolean allowed(ConstraintValidatorContext context, String field, boolean absent) {
            if (!absent) {
                violation(context, BuddyBodies.UNKNOWN).addPropertyNode(field).addConstraintViolation();
            }
            return absent;
        }

        private static boolean required(ConstraintValidatorContext context, String field, String message, boolean present) {
            if (!present) {
                violation(context, message).addPropertyNode(field).addConstraintViolation();
            }
            return present;
        }
    }

    /**
     * A route's targets include {@code Default}, and its host (subdomain and domain) fits a DNS name.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = {})
    @interface RouteTargets {
        String message() default "route does not fit";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A route body's host and targets, as {@link RouteTargets} reads them. */
    interface Routed {
        @Nullable
        String subdomain();

        @Nullable
        String domain();

        @Nullable
        Map<String, RouteRequests.TargetBody> targets();
    }

    @Singleton
    static final class RouteTargetsValidator implements ConstraintValidator<RouteTargets, Routed> {
        @Override
        public boolean isValid(@Nullable Routed route, @NonNull AnnotationValue<RouteTargets> annotation,
                               @NonNull ConstraintValidatorContext context) {
            if (route == null) {
                return true;
            }
            boolean valid = true;
            if (route.targets() != null && !route.targets().containsKey(Regions.DEFAULT)) {
                violation(context, "is required").addPropertyNode("targets").addPropertyNode(Regions.DEFAULT)
                        .addConstraintViolation();
                valid = false;
            }
            String subdomain = route.subdomain();
            String domain = route.domain();
            if (subdomain != null && domain != null && !subdomain.isEmpty()
                    && Rule.SUBDOMAIN.test.test(subdomain) && Rule.DOMAIN.test.test(domain)
                    && subdomain.length() + 1 + domain.length() > HostNames.MAX_HOST_LENGTH) {
                violation(context, "subdomain and domain together must be at most "
                        + HostNames.MAX_HOST_LENGTH + " characters").addConstraintViolation();
                valid = false;
            }
            return valid;
        }
    }
}
