package io.contentplane.domain.integration;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A node's webhook configuration; {@code meta} null means "no webhook". {@code signingSecret} signs
 * its deliveries (Standard Webhooks); it is encrypted at rest and shown only by its own endpoint.
 */
public record Distributor(
        String id,
        String tenantId,
        String nodeId,
        @Nullable WebhookMeta meta,
        String signingSecret,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Distributor withMeta(@Nullable WebhookMeta newMeta, Instant now) {
        return new Distributor(id, tenantId, nodeId, newMeta, signingSecret, createdAt, now, version + 1);
    }

    public Distributor withSigningSecret(String secret, Instant now) {
        return new Distributor(id, tenantId, nodeId, meta, secret, createdAt, now, version + 1);
    }
}
