package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline for the delivery function: one delivery-queue message's webhook attempt written by hand,
 * without a framework. It does the function's work for a message: read its body, the delivery's event
 * entry and the delivery (two consistent GetItems), skip it unless pending, read the distributor (one
 * consistent GetItem), decrypt its signing secret (AES-256-GCM, bound to the distributor), resolve the
 * webhook's host, sign the payload (Standard Webhooks, HMAC-SHA256), POST it with java.net.http, and
 * record the attempt (a PutItem conditional on the attempt count); the answer is the partial batch
 * response. With the function's DynamoDB client setup and webhook timeouts.
 */
public class BareDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final String table = Baselines.requiredEnv("INTEGRATION_TABLE");
    private final SecretKeySpec key = new SecretKeySpec(Base64.getDecoder().decode(Baselines.requiredEnv("DATA_ENCRYPTION_KEY")), "AES");
    private final DynamoDbClient dynamo = BareDynamoDb.client();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                if (!deliver(message.getBody())) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            } catch (IOException | RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** True when the message is done (delivered, or not pending any more). */
    private boolean deliver(String body) throws IOException, InterruptedException {
        JsonNode message = Baselines.JSON.readTree(body);
        String distributorId = message.get("distributorId").asText();
        String eventId = message.get("eventId").asText();
        String partition = "DISTRIBUTOR#" + distributorId;
        Map<String, AttributeValue> entry = get(partition, "EVENT#" + eventId);
        if (entry == null) {
            return true;
        }
        Map<String, AttributeValue> delivery = get(partition, "DELIVERY#" + entry.get("occurred_at").s() + "#" + eventId);
        if (delivery == null || !"PENDING".equals(delivery.get("state").s())) {
            return true;
        }
        Map<String, AttributeValue> distributor = get(partition, "DISTRIBUTOR");
        String secret = decrypt(distributor.get("signing_secret").s(), "distributor:" + distributorId + ":signing");
        String host = distributor.get("meta_host").s();
        InetAddress.getAllByName(URI.create(host).getHost()); // resolved before each attempt, as the function's guard does
        String payload = delivery.get("payload").s();
        long timestamp = Instant.now().getEpochSecond();
        String signature = "v1," + Base64.getEncoder().encodeToString(Baselines.hmacSha256(
                Base64.getDecoder().decode(secret.substring("whsec_".length())),
                (eventId + "." + timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(host + distributor.get("meta_path").s()))
                .timeout(Duration.ofSeconds(10))
                .header("User-Agent", "contentplane-webhooks/1")
                .header("webhook-id", eventId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .header("Idempotency-Key", eventId)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 200 || status >= 300) {
            return false;
        }
        Instant now = Instant.now();
        Map<String, AttributeValue> next = new HashMap<>(delivery);
        next.put("state", AttributeValue.fromS("DELIVERED"));
        int attempts = Integer.parseInt(delivery.get("attempts").n());
        next.put("attempts", AttributeValue.fromN(Integer.toString(attempts + 1)));
        next.put("last_status_code", AttributeValue.fromN(Integer.toString(status)));
        next.put("first_attempt_at", AttributeValue.fromS(now.toString()));
        next.remove("next_attempt_at");
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(next)
                .conditionExpression("attempts = :value")
                .expressionAttributeValues(Map.of(":value", AttributeValue.fromN(Integer.toString(attempts)))).build());
        return true;
    }

    private Map<String, AttributeValue> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** The function's stored-secret format: {@code v1:<base64(iv | ciphertext | tag)>}, AES-256-GCM with associated data. */
    private String decrypt(String stored, String associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring("v1:".length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signing secret does not decrypt", e);
        }
    }

    /** Encrypts as the function's SecretCipher does (the benchmark seeds the distributor with it). */
    static String encrypt(byte[] key, String plaintext, String associatedData) {
        try {
            byte[] iv = new byte[12];
            new java.security.SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(sealed, 0, all, iv.length, sealed.length);
            return "v1:" + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
