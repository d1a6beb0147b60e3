package io.contentplane.domain.distribution;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A distribution's access permissions as Buddy writes them: {@code others} and per-user and
 * per-group grants. Parts left out of a request stay out (null) and are answered as given.
 */
public record Permissions(@Nullable String others, @Nullable List<Grant> users, @Nullable List<Grant> groups) {
    public static final List<String> ACCESS_LEVELS =
            List.of("DENIED", "READ_ONLY", "RUN_ONLY", "READ_WRITE", "MANAGE", "DEFAULT");

    /** What a distribution created without {@code permissions} gets. */
    public static Permissions defaults() {
        return new Permissions("DEFAULT", List.of(), List.of());
    }

    /** A user's or group's access level, by its numeric id. */
    public record Grant(long id, String accessLevel) {
    }
}
