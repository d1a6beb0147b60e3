package io.contentplane.distributions;

import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.distribution.DistributionTokens;
import io.contentplane.domain.lambda.Priming;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.crac.Context;
import org.crac.Resource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the distributions function. Before the snapshot, three GET requests for a
 * random workspace run through the handler, so routing, the servlet adapter, JSON (serde, error and
 * success bodies), Micronaut Security's token validation and the DynamoDB client (built, signing, HTTP, unmarshalling)
 * are loaded and initialised in the snapshot instead of on the first request after a restore:
 * <ol>
 * <li>the workspace's distribution list with a token signed with a random key: 401 from Micronaut Security;</li>
 * <li>the same list with a valid token: one Query of an empty index partition, 200 with no distributions;</li>
 * <li>a distribution of that workspace with the same token: one Query of an empty partition, 404.</li>
 * </ol>
 * The valid token is signed with the platform key, which is safe because GET endpoints only read
 * (the token is checked in memory; {@code DistributionStore.list} and {@code get} only Query),
 * and the token grants DISTRIBUTION_INFO alone, on a workspace no one has, for a minute. So priming
 * reads two empty partitions and writes nothing.
 */
final class DistributionsPriming implements Resource {
    private final DistributionsFunction handler;
    private volatile List<Integer> statuses = List.of();

    DistributionsPriming(DistributionsFunction handler) {
        this.handler = handler;
    }

    /**
     * Throws when the platform key is missing or short (the token cannot be issued): a function so
     * configured, which would answer every request with 500, then fails to publish instead.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        DistributionTokens tokens = handler.getApplicationContext().getBean(DistributionTokens.class);
        String workspace = "priming-" + UUID.randomUUID();
        String list = "/workspaces/" + workspace + "/distributions";
        String valid = tokens.issue("priming", List.of(DistributionTokens.INFO), List.of(workspace), Duration.ofMinutes(1));
        statuses = List.of(
                get(list, forged(workspace)),
                get(list, valid),
                // shaped like an id, so the store is asked; the random workspace is what makes it absent
                get(list + "/priming0", valid));
    }

    /**
     * Only re-reads the secrets (a rotated one reaches every new execution environment, see
     * {@link SecretsRefresh}). No connection to close: the function holds no database connection
     * (its data is in DynamoDB only), and the URL-connection client reuses a JDK keep-alive
     * connection only within its idle timeout (5 s by default, on the wall clock, which has moved on
     * at a restore), and the SDK retries a request whose connection failed.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        SecretsRefresh.afterRestore(handler.getApplicationContext(), System.getenv());
    }

    /** The status each priming request got in the last {@link #beforeCheckpoint}, in order. */
    List<Integer> statuses() {
        return statuses;
    }

    /** A token shaped like a valid one for {@code workspace}, signed with a random key. */
    private static String forged(String workspace) {
        byte[] randomKey = (UUID.randomUUID() + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("priming").audience(DistributionTokens.AUDIENCE)
                .claim("scope", DistributionTokens.INFO).claim("workspaces", List.of(workspace))
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(randomKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the priming token", e);
        }
    }

    private int get(String path, String token) {
        // No Lambda context: a real one is registered as a bean per request, a fake one must not linger.
        return handler.handleRequest(Priming.request("GET", path, Map.of("Authorization", "Bearer " + token), null), null)
                .getStatusCode();
    }
}
