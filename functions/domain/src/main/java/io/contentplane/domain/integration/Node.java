package io.contentplane.domain.integration;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A node of the integration API's hierarchy: Apex (1) at the root, Accounts (2) under an Apex,
 * SubAccounts (3) under an Account. {@code path} joins the ancestors' and its own {@code intId}s.
 * {@code deletedAt} is set once the node is soft-deleted (the stores answer only live nodes).
 */
public record Node(
        String id,
        String tenantId,
        @Nullable String parentId,
        String name,
        int type,
        String path,
        long intId,
        Instant createdAt,
        Instant updatedAt,
        long version,
        @Nullable Instant deletedAt) {

    public static final int APEX = 1;
    public static final int ACCOUNT = 2;
    public static final int SUB_ACCOUNT = 3;
}
