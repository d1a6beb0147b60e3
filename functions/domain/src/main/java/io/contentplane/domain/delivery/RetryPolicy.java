package io.contentplane.domain.delivery;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * {@code base * 2^(n-1)}, capped at {@code maxDelay}; once {@code window} has passed since the first
 * attempt, a failing delivery is dead-lettered.
 */
@Singleton
public class RetryPolicy {
    private final Duration base;
    private final Duration maxDelay;
    private final Duration window;

    public RetryPolicy(@Value("${webhooks.retry.base:10s}") Duration base,
                       @Value("${webhooks.retry.max-delay:1h}") Duration maxDelay,
                       @Value("${webhooks.retry.window:24h}") Duration window) {
        this.base = base;
        this.maxDelay = maxDelay;
        this.window = window;
    }

    /** When to try again after {@code attempts} failed attempts, or null when the window is spent. */
    public Instant nextAttempt(int attempts, Instant firstAttempt, Instant now) {
        if (!now.isBefore(firstAttempt.plus(window))) {
            return null;
        }
        long exponential = base.toMillis() << Math.min(30, Math.max(0, attempts - 1));
        long capped = Math.min(maxDelay.toMillis(), exponential);
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return now.plusMillis(Math.max(1, jittered));
    }
}
