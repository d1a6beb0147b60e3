package io.contentplane.domain.integration;

/** An integration API credential: the key id, the tenant whose data it reaches. */
public record ApiKey(String keyId, String tenantId) {
}
