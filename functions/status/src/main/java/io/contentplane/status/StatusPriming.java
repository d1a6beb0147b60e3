package io.contentplane.status;

import io.contentplane.domain.lambda.JdbcPriming;
import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.lambda.Priming;
import org.crac.Context;
import org.crac.Resource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the status function. Before the snapshot, two status requests run through
 * the handler, so routing, the servlet adapter, JSON (serde), the parameter repository and the
 * pool's first connection are loaded and initialised in the snapshot instead of on the first
 * request after a restore: one for a random node (a SELECT that finds nothing: 404), one for the
 * default node (its status, or 404/503). Both only read; the status API has no write at all.
 */
final class StatusPriming implements Resource {
    private final StatusFunction handler;
    private volatile List<Integer> statuses = List.of();

    StatusPriming(StatusFunction handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        statuses = List.of(get("/api/v1/nodes/" + UUID.randomUUID() + "/status"), get("/api/v1/status"));
    }

    /**
     * Only closes the connection priming left in the pool (a socket from before the snapshot is dead
     * after a restore; see {@link JdbcPriming#evictPooledConnections}). Nothing else: what priming loaded
     * and initialised is what the snapshot is for, and any work here would delay every restore.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) throws Exception {
        SecretsRefresh.afterRestore(handler.getApplicationContext(), System.getenv());
        JdbcPriming.evictPooledConnections(handler.getApplicationContext());
    }

    /** The status each priming request got in the last {@link #beforeCheckpoint}, in order. */
    List<Integer> statuses() {
        return statuses;
    }

    private int get(String path) {
        // No Lambda context: a real one is registered as a bean per request, a fake one must not linger.
        return handler.handleRequest(Priming.request("GET", path, Map.of(), null), null).getStatusCode();
    }
}
