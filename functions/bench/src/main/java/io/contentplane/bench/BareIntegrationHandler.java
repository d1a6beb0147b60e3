package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Baseline for the integration function: {@code GET /api/v1/integration/nodes/{id}} written by
 * hand, without a framework. It does the function's work: check {@code X-Target-Server}, verify the
 * access token (algorithm, signature, issuer, audience, expiry), count the request against the API
 * key's per-minute limit (one conditional UpdateItem), read the node (one consistent GetItem), check
 * its tenant and answer the node's view; with the function's DynamoDB client setup.
 */
public class BareIntegrationHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final String ISSUER = "contentplane";
    static final String AUDIENCE = "integration";

    private final byte[] secret = Baselines.requiredEnv("AUTH_JWT_SECRET").getBytes(StandardCharsets.UTF_8);
    private final String table = Baselines.requiredEnv("INTEGRATION_TABLE");
    private final long perMinute = Long.parseLong(Baselines.requiredEnv("INTEGRATION_RATE_LIMIT_PER_MINUTE"));
    private final DynamoDbClient dynamo = BareDynamoDb.client();

    /** The caller's API key and tenant, from a verified access token. */
    record Caller(String keyId, String tenant, String keyVersion) {
    }

    public BareIntegrationHandler() {
        if (secret.length < 32) {
            throw new IllegalStateException("AUTH_JWT_SECRET must be at least 32 bytes");
        }
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String target = Baselines.header(event, "X-Target-Server");
        if (target == null || !AUDIENCE.equals(target.trim().toLowerCase())) {
            return error(400, "INVALID_TARGET_SERVER", "X-Target-Server must be 'integration' for this endpoint");
        }
        String authorization = Baselines.header(event, "authorization");
        String[] scheme = authorization == null ? new String[0] : authorization.trim().split("\\s+");
        Caller caller = scheme.length == 2 && scheme[0].equalsIgnoreCase("bearer")
                ? verify(scheme[1], secret, Instant.now().getEpochSecond()) : null;
        if (caller == null) {
            return error(401, "UNAUTHORIZED", "Access token is invalid or expired");
        }
        // the key still exists at the token's version and is not revoked (as the function checks it)
        Map<String, AttributeValue> key = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key("APIKEY#" + caller.keyId(), "APIKEY")).consistentRead(true).build()).item();
        if (key == null || key.isEmpty() || key.containsKey("revoked_at")
                || !caller.keyVersion().equals(string(key, "created_at"))) {
            return error(401, "UNAUTHORIZED", "The API key of this token is revoked or deleted; authenticate with an active key");
        }
        long now = Instant.now().getEpochSecond();
        long minute = now / 60;
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(key("RATE#" + caller.keyId() + "#" + minute, "RATE"))
                    .updateExpression("ADD hits :one SET expires_at = :exp")
                    .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":limit", AttributeValue.fromN(Long.toString(perMinute)),
                            ":exp", AttributeValue.fromN(Long.toString((minute + 2) * 60))))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            return error(429, "RATE_LIMITED", "Rate limit exceeded: 50 requests per minute per API key")
                    .withHeaders(Map.of("Content-Type", "application/json",
                            "Retry-After", Long.toString(Math.max(1, (minute + 1) * 60 - now))));
        }
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        Map<String, AttributeValue> item = isUuid(id) ? dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key("NODE#" + id, "NODE")).consistentRead(true).build()).item() : null;
        if (item == null || item.isEmpty() || item.containsKey("deleted_at")
                || !caller.tenant().equals(string(item, "tenant_id"))) {
            return error(404, "NODE_NOT_FOUND", "Node not found");
        }
        ObjectNode view = Baselines.JSON.createObjectNode()
                .put("id", string(item, "id"))
                .put("parent_id", string(item, "parent_id"))
                .put("name", string(item, "name"))
                .put("type", Integer.parseInt(item.get("type").n()))
                .put("path", string(item, "path"))
                .put("int_id", Long.parseLong(item.get("int_id").n()))
                .put("created_at", DateTimeFormatter.ISO_INSTANT.format(Instant.parse(string(item, "created_at"))))
                .put("updated_at", DateTimeFormatter.ISO_INSTANT.format(Instant.parse(string(item, "updated_at"))));
        return Baselines.answer(200, view);
    }

    /** The caller of a valid access token, or null for anything else (as the function, which says no more). */
    static Caller verify(String token, byte[] secret, long nowSeconds) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = Baselines.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = Baselines.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (header == null || !header.isObject() || claims == null || !claims.isObject()
                    || !"HS256".equals(header.path("alg").asText(null))) {
                return null;
            }
            byte[] expected = Baselines.hmacSha256(secret, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            JsonNode exp = claims.get("exp");
            JsonNode sub = claims.get("sub");
            JsonNode tenant = claims.get("tenant");
            JsonNode keyVersion = claims.get("kv");
            if (!MessageDigest.isEqual(expected, signature)
                    || !ISSUER.equals(claims.path("iss").asText(null)) || !AUDIENCE.equals(claims.path("aud").asText(null))
                    || exp == null || !exp.isNumber() || exp.asLong() <= nowSeconds
                    || sub == null || !sub.isTextual() || tenant == null || !tenant.isTextual()
                    || keyVersion == null || !keyVersion.isTextual()) {
                return null;
            }
            return new Caller(sub.asText(), tenant.asText(), keyVersion.asText());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** The integration API's error body: {@code {"error":{"code","message","details":{}}}}. */
    private static APIGatewayProxyResponseEvent error(int status, String code, String message) {
        ObjectNode body = Baselines.JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).putObject("details");
        return Baselines.answer(status, body);
    }
}
