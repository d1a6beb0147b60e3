package io.contentplane.operator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.contentplane.domain.lambda.JdbcPriming;
import io.contentplane.domain.argus.ArgusException;
import io.contentplane.domain.secrets.SecretsRefresh;
import io.contentplane.domain.lambda.Priming;
import io.contentplane.domain.security.OperatorKey;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.contentplane.operator.body.SetWorkerBody;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.validation.validator.Validator;
import org.crac.Context;
import org.crac.Resource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of the operator function. Before the snapshot, {@code POST /api/v1/set-worker}
 * runs through the handler twice, so routing, the servlet adapter, JSON (serde), Micronaut Security's token validation,
 * the parameter repository and the pool's first connection are loaded and initialised in the
 * snapshot instead of on the first request after a restore.
 * <p>
 * Neither request can change anything: both carry tokens signed with a random secret, so both end
 * in 401 before the controller reaches a write. The first names a random node ({@code kid}), whose
 * secret lookup is a SELECT that finds nothing; the second has no {@code kid}, so the signature is
 * checked against the default node's secret and fails. No parameter row changes and no event is
 * recorded. What the 401 path skips (binding and validating the typed body, a 409 answer) is warmed directly.
 */
final class OperatorPriming implements Resource {
    private static final String PATH = "/api/v1/set-worker";
    private static final String BODY = "{\"workerId\":1}";

    private final OperatorFunction handler;
    private volatile List<Integer> statuses = List.of();

    OperatorPriming(OperatorFunction handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
        JsonMapper json = handler.getApplicationContext().getBean(JsonMapper.class);
        statuses = List.of(setWorker(UUID.randomUUID().toString()), setWorker(null));
        SetWorkerBody body = json.readValue(BODY, Argument.of(SetWorkerBody.class));
        handler.getApplicationContext().getBean(Validator.class).validate(body);
        json.writeValueAsString(ArgusException.conflict("Already stopped").error());
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

    private int setWorker(String kid) throws JOSEException {
        long now = System.currentTimeMillis() / 1000;
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("reqUrl", PATH).claim("reqBody", Map.of("workerId", 1))
                .claim("iat", now).claim("exp", now + 60).build();
        String token = new OperatorKey(UUID.randomUUID().toString(), kid).sign(claims).serialize();
        APIGatewayProxyRequestEvent event = Priming.request("POST", PATH, Map.of("Authorization", "Bearer " + token), BODY);
        // No Lambda context: a real one is registered as a bean per request, a fake one must not linger.
        return handler.handleRequest(event, null).getStatusCode();
    }
}
