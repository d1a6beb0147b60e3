package io.contentplane.domain.distribution;

import io.micronaut.core.annotation.Nullable;

/**
 * Where a route sends one region's requests: an {@code EXTERNAL} host name or http(s) URL, or a
 * Buddy {@code TUNNEL} ({@code tunnel.id}, {@code tunnel.tunnel_id}).
 */
public record Target(String type, @Nullable String externalUrl, @Nullable String tunnelId, @Nullable String tunnelTunnelId) {
    public static final String EXTERNAL = "EXTERNAL";
    public static final String TUNNEL = "TUNNEL";

    public static Target external(String url) {
        return new Target(EXTERNAL, url, null, null);
    }

    public static Target tunnel(String id, String tunnelId) {
        return new Target(TUNNEL, null, id, tunnelId);
    }
}
