package io.contentplane.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code GET /api/v1/status}: Argus's {@code id} and {@code uptime} (seconds since the node
 * last booted), plus the control state an operator set.
 */
@Serdeable
public record NodeStatus(
        String id,
        String version,
        @Nullable Long workerId,
        long uptime,
        String publicApi,
        String lifecycle) {
}
