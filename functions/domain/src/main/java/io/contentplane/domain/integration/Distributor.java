package io.contentplane.domain.integration;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A node's webhook configuration; {@code meta} null means "no webhook". */
public record Distributor(
        String id,
        String tenantId,
        String nodeId,
        @Nullable WebhookMeta meta,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
