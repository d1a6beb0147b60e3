package io.contentplane.domain.testing;

import io.contentplane.domain.security.HmacJwt;
import io.micronaut.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Operator tokens made as Argus's CLI makes them: {@code sign({reqUrl, reqBody}, secret, {expiresIn: 60})}. */
public final class OperatorTokens {
    private OperatorTokens() {
    }

    public static String cli(JsonMapper json, String secret, String reqUrl, Object reqBody) {
        return make(json, secret, null, reqUrl, reqBody, System.currentTimeMillis() / 1000, 60L);
    }

    public static String forNode(JsonMapper json, String nodeId, String secret, String reqUrl, Object reqBody) {
        return make(json, secret, nodeId, reqUrl, reqBody, System.currentTimeMillis() / 1000, 60L);
    }

    /** Full control for tampered, expired and old tokens; {@code expiresIn} null leaves {@code exp} out. */
    public static String make(JsonMapper json, String secret, String kid, String reqUrl, Object reqBody,
                              Long iat, Long expiresIn) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("reqUrl", reqUrl);
        claims.put("reqBody", reqBody);
        if (iat != null) {
            claims.put("iat", iat);
            if (expiresIn != null) {
                claims.put("exp", iat + expiresIn);
            }
        }
        return HmacJwt.sign(claims, secret.getBytes(StandardCharsets.UTF_8), kid, json);
    }
}
