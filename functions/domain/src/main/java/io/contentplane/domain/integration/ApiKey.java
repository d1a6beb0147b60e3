package io.contentplane.domain.integration;

import io.micronaut.core.annotation.Nullable;

/**
 * An integration API credential: the key id, the tenant whose data it reaches, and the version of
 * the key (when it was created: a key deleted and created again under the same id is another
 * version, so its old tokens stay dead). The version is null where only the key and tenant matter.
 */
public record ApiKey(String keyId, String tenantId, @Nullable String version) {

    public ApiKey(String keyId, String tenantId) {
        this(keyId, tenantId, null);
    }
}
