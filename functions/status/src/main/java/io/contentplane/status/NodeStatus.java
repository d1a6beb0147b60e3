package io.contentplane.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code GET /api/v1/status}: Argus's {@code StatusResponse} ({@code id}, {@code version},
 * {@code uptime} in seconds since the node last booted, and the data plane's figures as the node
 * last reported them through {@code POST /api/v1/report-usage}, 0 until it does), plus the control
 * state an operator set and when the figures were reported ({@code usageReportedAt}, null if never).
 */
@Serdeable
public record NodeStatus(
        String id,
        String version,
        long objectsInCache,
        long storageLimit,
        long storageUsed,
        long uptime,
        long downloadsInProgress,
        @Nullable Long workerId,
        String publicApi,
        String lifecycle,
        @Nullable String usageReportedAt) {
}
