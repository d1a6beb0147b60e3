package io.contentplane.domain.dynamo;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry policy for version-conditioned writes that lost a race: a writer that lost re-reads and
 * tries again after a short, growing, jittered pause, so a burst of concurrent writers drains
 * instead of colliding again in lock-step.
 */
public final class OptimisticRetry {
    /** Enough for dozens of simultaneous writers on one item. */
    public static final int ATTEMPTS = 30;

    private OptimisticRetry() {
    }

    /** Sleeps before attempt {@code attempt} (0-based; no pause before the first). */
    public static void pause(int attempt) {
        if (attempt == 0) {
            return;
        }
        long maxMillis = Math.min(50, 2L * attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a conditional write", e);
        }
    }
}
