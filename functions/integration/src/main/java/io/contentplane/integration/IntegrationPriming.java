package io.contentplane.integration;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.lambda.JdbcPriming;
import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.lambda.Priming;
import io.contentplane.domain.security.PlatformSignature;
import org.crac.Context;
import org.crac.Resource;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the integration function. Before the snapshot, two requests run through
 * the handler, so routing, the servlet adapter, the filters, JSON (serde), Micronaut Security's
 * token validation, the error path, the DynamoDB client (built, signing, HTTP, unmarshalling) and
 * the API-key hashing are loaded and initialised in the snapshot instead of on the first request
 * after a restore:
 * <ol>
 * <li>{@code GET /nodes/<random>} with an access token signed with a random key: 401 from the
 *     signature check. The rate limit (an UpdateItem) is taken only after a token verifies, so never here.</li>
 * <li>{@code POST /auth/authenticate} with a random API key: one GetItem that finds nothing, then
 *     the constant-time hash of an unknown key: 401. Refresh tokens are written only for a key that
 *     verifies, and a random key id with a random secret cannot.</li>
 * </ol>
 * So priming reads one item that does not exist and writes nothing: no item, no event.
 */
final class IntegrationPriming implements Resource {
    private final IntegrationFunction handler;
    private volatile List<Integer> statuses = List.of();

    IntegrationPriming(IntegrationFunction handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws JOSEException {
        statuses = List.of(getNode(), authenticate());
    }

    /**
     * Only closes database connections left in the pool, should one exist (a socket from before the
     * snapshot is dead after a restore; see {@link JdbcPriming#evictPooledConnections}). DynamoDB needs
     * nothing: the URL-connection client reuses a JDK keep-alive connection only within its idle
     * timeout (5 s by default, on the wall clock, which has moved on at a restore), and the SDK
     * retries a request whose connection failed. Nothing else: any work here would delay every restore.
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

    private int getNode() throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(AccessTokens.ISSUER).audience(AccessTokens.AUDIENCE)
                .subject("priming").claim(AccessTokens.TENANT, "priming").expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .build();
        String token = new PlatformSignature(UUID.randomUUID() + "-" + UUID.randomUUID()).sign(claims).serialize();
        return send("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(),
                Map.of(IntegrationGate.TARGET_SERVER, "integration", "Authorization", "Bearer " + token), null);
    }

    private int authenticate() {
        String body = "{\"api_key\":\"priming-" + UUID.randomUUID() + "\",\"secret_key\":\"" + UUID.randomUUID() + "\"}";
        return send("POST", "/api/v1/integration/auth/authenticate",
                Map.of(IntegrationGate.TARGET_SERVER, "authentication"), body);
    }

    private int send(String method, String path, Map<String, String> headers, String body) {
        // No Lambda context: a real one is registered as a bean per request, a fake one must not linger.
        return handler.handleRequest(Priming.request(method, path, headers, body), null).getStatusCode();
    }
}
