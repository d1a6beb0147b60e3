package io.contentplane.operator;

import io.contentplane.domain.json.JsonTrees;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.security.HmacJwt;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Argus's OperatorAuth. The bearer JWT is HMAC-signed with the node's operator secret and carries
 * {@code reqUrl} and {@code reqBody}, so a token authorises exactly one request to one node:
 * the signature must verify, {@code iat} must be at most 5 minutes old, {@code exp} (if present)
 * in the future, {@code reqUrl} equal to the request's path and query and {@code reqBody} equal to
 * the parsed body. A {@code kid} header names the node (verified with that node's own secret);
 * without one the token addresses the default node and its configured secret.
 * Every failure is 401 and is decided before the body is validated.
 */
@Singleton
public class OperatorAuthenticator {
    static final long MAX_AGE_SECONDS = 300;
    /** Tolerated clock skew for tokens issued "in the future". */
    static final long CLOCK_SKEW_SECONDS = 30;
    /** Argus (express.json) refuses bodies over 100 kB. */
    static final int MAX_BODY_BYTES = 100 * 1024;
    private static final Argument<Object> ANY = Argument.of(Object.class);

    private final NodeControlService nodes;
    private final JsonMapper json;
    private final String defaultNodeId;
    private final byte[] defaultSecret;
    private final Clock clock;

    public OperatorAuthenticator(NodeControlService nodes, JsonMapper json,
                                 @Value("${node.id:}") String defaultNodeId,
                                 @Value("${operator.hmac-secret:}") String defaultSecret,
                                 @Nullable Clock clock) {
        this.nodes = nodes;
        this.json = json;
        this.defaultNodeId = defaultNodeId;
        this.defaultSecret = defaultSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock != null ? clock : Clock.systemUTC();
    }

    /** The node a verified request addresses and its parsed JSON body. */
    public record AuthenticatedRequest(String nodeId, Object body) {
    }

    public AuthenticatedRequest authenticate(@Nullable String authorization, String requestUrl,
                                             @Nullable String rawBody) throws OperatorRequestException {
        if (authorization == null || authorization.isBlank()) {
            throw OperatorRequestException.unauthorized("Authorization token is missing");
        }
        String[] parts = authorization.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw OperatorRequestException.unauthorized("Authorization header must be 'Bearer <token>'");
        }
        HmacJwt jwt;
        try {
            jwt = HmacJwt.parse(parts[1], json);
        } catch (HmacJwt.InvalidTokenException e) {
            throw OperatorRequestException.unauthorized("Invalid token: " + e.getMessage());
        }
        Object kid = jwt.header().get("kid");
        String nodeId;
        byte[] secret;
        if (kid == null) {
            nodeId = defaultNodeId;
            secret = defaultSecret;
        } else if (kid instanceof String k && !k.isBlank() && k.length() <= 64) {
            nodeId = k;
            Optional<String> stored = nodes.operatorSecret(k);
            secret = stored.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        } else {
            throw OperatorRequestException.unauthorized("Invalid token: invalid kid");
        }
        // An unknown kid and a wrong secret look the same to the caller.
        if (nodeId.isBlank() || secret == null || !jwt.verify(secret)) {
            throw OperatorRequestException.unauthorized("Invalid token: invalid signature");
        }
        checkTimes(jwt.claims());
        if (!(jwt.claims().get("reqUrl") instanceof String reqUrl) || !reqUrl.equals(requestUrl)) {
            throw OperatorRequestException.unauthorized("Invalid token: req.originalUrl mismatch");
        }
        Object body = parseBody(rawBody);
        if (!JsonTrees.deepEquals(jwt.claims().get("reqBody"), body)) {
            throw OperatorRequestException.unauthorized("Invalid token: req.body mismatch");
        }
        return new AuthenticatedRequest(nodeId, body);
    }

    private void checkTimes(Map<String, Object> claims) throws OperatorRequestException {
        long now = clock.millis() / 1000;
        Object exp = claims.get("exp");
        if (exp != null) {
            if (!(exp instanceof Number e)) {
                throw OperatorRequestException.unauthorized("Invalid token: invalid exp value");
            }
            if (now >= e.longValue()) {
                throw OperatorRequestException.unauthorized("Invalid token: jwt expired");
            }
        }
        Object nbf = claims.get("nbf");
        if (nbf != null && (!(nbf instanceof Number n) || now + CLOCK_SKEW_SECONDS < n.longValue())) {
            throw OperatorRequestException.unauthorized("Invalid token: jwt not active");
        }
        if (!(claims.get("iat") instanceof Number iat)) {
            throw OperatorRequestException.unauthorized("Invalid token: iat required when maxAge is specified");
        }
        if (now - iat.longValue() > MAX_AGE_SECONDS) {
            throw OperatorRequestException.unauthorized("Invalid token: maxAge exceeded");
        }
        if (iat.longValue() > now + CLOCK_SKEW_SECONDS) {
            throw OperatorRequestException.unauthorized("Invalid token: iat is in the future");
        }
    }

    /** The body as Argus sees it: no body is {@code {}}; anything that is not JSON is a 400. */
    private Object parseBody(@Nullable String rawBody) throws OperatorRequestException {
        if (rawBody == null || rawBody.isBlank()) {
            return new LinkedHashMap<>();
        }
        if (rawBody.length() > MAX_BODY_BYTES
                || rawBody.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new OperatorRequestException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    OperatorError.validation("request entity too large (limit 100kb)"));
        }
        try {
            return json.readValue(rawBody, ANY);
        } catch (IOException | RuntimeException e) {
            throw new OperatorRequestException(HttpStatus.BAD_REQUEST,
                    OperatorError.validation("Request body is not valid JSON"));
        }
    }
}
