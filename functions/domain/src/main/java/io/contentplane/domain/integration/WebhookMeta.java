package io.contentplane.domain.integration;

import io.micronaut.core.annotation.Nullable;

/**
 * A distributor's webhook: where ({@code host} + {@code path}), how ({@code method}: 1 GET, 2 POST,
 * 3 PUT, 4 PATCH, 5 DELETE) and with which credentials.
 */
public record WebhookMeta(String host, String path, int method, @Nullable Authentication authentication) {

    public static final String[] METHOD_NAMES = {null, "GET", "POST", "PUT", "PATCH", "DELETE"};

    /** Type 1 Basic ({@code username}, {@code password}), type 2 Token ({@code token}). */
    public record Authentication(int type, @Nullable String username, @Nullable String password, @Nullable String token) {
        public static final int BASIC = 1;
        public static final int TOKEN = 2;

        /** The part that is encrypted at rest. */
        String secret() {
            return type == BASIC ? password : token;
        }
    }

    public String methodName() {
        return METHOD_NAMES[method];
    }
}
