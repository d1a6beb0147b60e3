package io.contentplane.domain.distribution;

/** How a route serves its target (Buddy's route types). */
public enum RouteType {
    PROXY,
    REDIRECT,
    CLOAKING,
    PROXY_NO_CACHE
}
