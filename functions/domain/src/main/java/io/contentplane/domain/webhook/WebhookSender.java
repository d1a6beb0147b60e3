package io.contentplane.domain.webhook;

import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.integration.WebhookMeta.Authentication;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One delivery attempt of a webhook event, signed per Standard Webhooks ({@link WebhookSignature}).
 * The caller owns retries: {@link Result#retryable()} says whether another attempt can succeed.
 * Redirects are never followed, so a receiver cannot bounce a delivery to an address the guard
 * did not check.
 */
@Singleton
public class WebhookSender {
    /** Response bodies carry nothing we use; a receiver must not make us read or buffer more than this. */
    static final int MAX_RESPONSE_BODY = 64 * 1024;
    private static final String USER_AGENT = "contentplane-webhooks/1";
    private static final int GET = 1;
    private static final int DELETE = 5;

    /** {@code statusCode} is null when no response arrived; {@code error} never holds a secret. */
    public record Result(boolean delivered, boolean retryable, Integer statusCode, String error) {
        static Result retry(String error) {
            return new Result(false, true, null, error);
        }

        static Result reject(String error) {
            return new Result(false, false, null, error);
        }
    }

    private final WebhookTargetGuard guard;
    private final Duration readTimeout;
    private final HttpClient client;

    public WebhookSender(WebhookTargetGuard guard,
                         @Value("${webhooks.connect-timeout:3s}") Duration connectTimeout,
                         @Value("${webhooks.read-timeout:10s}") Duration readTimeout) {
        this.guard = guard;
        this.readTimeout = readTimeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    /**
     * An attempt up to the wire: the signed request to send, or why it is refused (then {@code request}
     * is null and {@code refused} says why).
     */
    public record Attempt(HttpRequest request, Result refused) {
    }

    public Result send(WebhookMeta meta, String signingSecret, String eventId, String eventType, String payloadJson) {
        Attempt attempt = prepare(meta, signingSecret, eventId, eventType, payloadJson);
        return attempt.request() == null ? attempt.refused() : exchange(attempt.request());
    }

    /**
     * Everything of an attempt but the exchange: the method and authentication checks, the target
     * guard (which resolves a host name; an IP literal is never looked up) and the signed request.
     * Sends nothing: SnapStart priming builds a request this way ({@code DeliveryPriming}).
     */
    public Attempt prepare(WebhookMeta meta, String signingSecret, String eventId, String eventType, String payloadJson) {
        if (meta.method() < GET || meta.method() > DELETE) {
            return new Attempt(null, Result.reject("unsupported webhook method"));
        }
        Authentication auth = meta.authentication();
        if (auth != null && auth.type() != Authentication.BASIC && auth.type() != Authentication.TOKEN) {
            return new Attempt(null, Result.reject("unsupported webhook authentication type"));
        }
        try {
            // Resolve again now: the name may have been re-pointed at an internal address since it was configured.
            // With the system resolver the connection below goes through the same JVM address cache (positive
            // answers are kept 30 s by default), so it connects to an address that was just checked.
            guard.checkDeliveryAddress(meta.host());
        } catch (IllegalArgumentException e) {
            // The guard's messages are fixed texts (e.g. "webhook host resolves to an internal address"), never input.
            return new Attempt(null, Result.reject(e.getMessage()));
        } catch (UnknownHostException e) {
            return new Attempt(null, Result.retry("host did not resolve"));
        }
        try {
            return new Attempt(request(meta, signingSecret, eventId, eventType, payloadJson), null);
        } catch (IllegalArgumentException e) {
            // Not e.getMessage(): the offending value may be a credential.
            return new Attempt(null, Result.reject("invalid webhook URL or credentials"));
        }
    }

    private HttpRequest request(WebhookMeta meta, String secret, String eventId, String eventType, String payloadJson) {
        boolean withBody = meta.method() != GET && meta.method() != DELETE;
        String body = withBody ? payloadJson : "";
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder builder = HttpRequest.newBuilder(target(meta, !withBody, eventId, eventType))
                .timeout(readTimeout)
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", eventId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(secret, eventId, timestamp, body))
                .header("Idempotency-Key", eventId);
        if (withBody) {
            builder.header("Content-Type", "application/json")
                    .method(meta.methodName(), BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            builder.method(meta.methodName(), BodyPublishers.noBody());
        }
        Authentication auth = meta.authentication();
        if (auth != null && auth.type() == Authentication.BASIC) {
            String pair = auth.username() + ":" + auth.password();
            builder.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (auth != null) {
            builder.header("Authorization", "Bearer " + auth.token());
        }
        return builder.build();
    }

    /** Host plus path; for GET and DELETE, which carry no body, the event travels as query parameters. */
    private static URI target(WebhookMeta meta, boolean eventInQuery, String eventId, String eventType) {
        String host = meta.host().endsWith("/") ? meta.host().substring(0, meta.host().length() - 1) : meta.host();
        String path = meta.path() == null ? "" : meta.path();
        if (!path.isEmpty() && !path.startsWith("/")) {
            // Otherwise the path would continue the authority: "@10.0.0.1" or ".evil.example" change the host.
            throw new IllegalArgumentException("path must start with '/'");
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            // Never sent anyway, and query parameters appended after it would be lost in it.
            path = path.substring(0, fragment);
        }
        if (eventInQuery) {
            path += (path.contains("?") ? "&" : "?")
                    + "event_id=" + URLEncoder.encode(eventId, StandardCharsets.UTF_8)
                    + "&event_type=" + URLEncoder.encode(eventType, StandardCharsets.UTF_8);
        }
        return URI.create(host + path);
    }

    private Result exchange(HttpRequest request) {
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, info -> new CappedDiscard());
        try {
            // The request timeout ends with the response headers; the second period bounds the (capped)
            // body, so a receiver trickling bytes cannot hold this attempt open.
            int status = response.get(readTimeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return classify(status);
        } catch (TimeoutException e) {
            response.cancel(true);
            return Result.retry("timed out");
        } catch (ExecutionException e) {
            return Result.retry(describe(e.getCause()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return Result.retry("interrupted");
        }
    }

    private static Result classify(int status) {
        if (status >= 200 && status < 300) {
            return new Result(true, false, status, null);
        }
        // 408 and 429 ask to come back later, 5xx may be transient; any other answer will not change on retry,
        // a 3xx included: redirects are not followed.
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return new Result(false, retryable, status, "HTTP " + status);
    }

    /** A short description by exception class only: exception messages may quote the URL or headers. */
    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return "timed out";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return "I/O error: " + t.getClass().getSimpleName();
            }
        }
        return "delivery failed: " + failure.getClass().getSimpleName();
    }

    /**
     * Drains a response body without keeping it, and cancels (closing the connection) once more than
     * {@link #MAX_RESPONSE_BODY} bytes arrived instead of reading an endless body.
     */
    private static final class CappedDiscard implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long remaining = MAX_RESPONSE_BODY;

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                remaining -= buffer.remaining();
            }
            if (remaining < 0 && done.complete(null)) {
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
}
