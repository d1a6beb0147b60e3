package io.contentplane.integration;

import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NotFoundException;
import io.contentplane.domain.integration.WebhookMeta;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/integration/distributors}: create on a node ({@code POST /nodes/{node_id}}, 201),
 * update ({@code PUT /{id}}), get, list a node's ({@code GET /nodes/{node_id}}) and delete.
 * Responses name the method ({@code 1 -> "GET"}) and echo the credentials as seed 000 shows;
 * at rest the credentials are encrypted.
 */
@Controller("/api/v1/integration/distributors")
public class DistributorController {
    private final IntegrationGate gate;
    private final JsonBodies bodies;
    private final DistributorRequests requests;
    private final DistributorStore distributors;
    private final DeliveryStore deliveries;

    public DistributorController(IntegrationGate gate, JsonBodies bodies, DistributorRequests requests,
                                 DistributorStore distributors, DeliveryStore deliveries) {
        this.gate = gate;
        this.bodies = bodies;
        this.requests = requests;
        this.distributors = distributors;
        this.deliveries = deliveries;
    }

    @Post(uri = "/nodes/{nodeId}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(HttpRequest<?> request, @PathVariable String nodeId, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            WebhookMeta meta = requests.forCreate(bodies.object(body));
            return HttpResponse.status(HttpStatus.CREATED).body(view(distributors.create(key.tenantId(), nodeId, meta)));
        });
    }

    @Put(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> update(HttpRequest<?> request, @PathVariable String id, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Map<String, Object> json = bodies.object(body);
            requests.checkUpdate(json);
            return HttpResponse.ok(view(distributors.update(key.tenantId(), id, current -> requests.applyUpdate(current, json))));
        });
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> get(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            return HttpResponse.ok(view(distributors.get(key.tenantId(), id)));
        });
    }

    @Get(uri = "/nodes/{nodeId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> listForNode(HttpRequest<?> request, @PathVariable String nodeId,
                                @Nullable @QueryValue("page") String page, @Nullable @QueryValue("per_page") String perPage) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Paging paging = Paging.of(page, perPage);
            DistributorStore.Page result = distributors.listForNode(key.tenantId(), nodeId, paging.page(), paging.perPage());
            return HttpResponse.ok(paging.answer("distributors",
                    result.distributors().stream().map(DistributorController::view).toList(), result.total()));
        });
    }

    @Delete(uri = "/{id}")
    HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            distributors.delete(key.tenantId(), id);
            return HttpResponse.noContent();
        });
    }

    /** The secret that signs this distributor's deliveries (Standard Webhooks), for its owner only. */
    @Get(uri = "/{id}/signing-secret", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> signingSecret(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            return HttpResponse.ok(Map.of("secret", distributors.get(key.tenantId(), id).signingSecret()));
        });
    }

    @Post(uri = "/{id}/signing-secret/rotate", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> rotateSigningSecret(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            return HttpResponse.ok(Map.of("secret", distributors.rotateSigningSecret(key.tenantId(), id).signingSecret()));
        });
    }

    /** Delivery history: event, attempts, last status and error, next attempt, state; oldest event first. */
    @Get(uri = "/{id}/deliveries", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> deliveries(HttpRequest<?> request, @PathVariable String id,
                               @Nullable @QueryValue("page") String page, @Nullable @QueryValue("per_page") String perPage) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Paging paging = Paging.of(page, perPage);
            distributors.get(key.tenantId(), id);
            DeliveryStore.Page result = deliveries.list(id, paging.page(), paging.perPage());
            return HttpResponse.ok(paging.answer("deliveries",
                    result.deliveries().stream().map(DistributorController::deliveryView).toList(), result.total()));
        });
    }

    /** Queues a delivery again, due now (for example after the receiver was fixed). */
    @Post(uri = "/{id}/deliveries/{deliveryId}/redeliver", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> redeliver(HttpRequest<?> request, @PathVariable String id, @PathVariable String deliveryId) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            distributors.get(key.tenantId(), id);
            Delivery delivery = deliveries.find(id, deliveryId).orElseThrow(() -> new NotFoundException("Delivery"));
            if (delivery.state() == Delivery.State.PENDING) {
                throw new IntegrationException(HttpStatus.CONFLICT, "DELIVERY_PENDING",
                        "The delivery is already queued", Map.of());
            }
            return HttpResponse.status(HttpStatus.ACCEPTED).body(deliveryView(deliveries.redeliver(delivery, Instant.now())));
        });
    }

    static Map<String, Object> deliveryView(Delivery d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.eventId());
        view.put("event_id", d.eventId());
        view.put("event_type", d.eventType());
        view.put("occurred_at", DateTimeFormatter.ISO_INSTANT.format(d.occurredAt()));
        view.put("state", d.state().name());
        view.put("attempts", d.attempts());
        view.put("last_status_code", d.lastStatusCode());
        view.put("last_error", d.lastError());
        view.put("next_attempt_at", d.nextAttemptAt() == null ? null : DateTimeFormatter.ISO_INSTANT.format(d.nextAttemptAt()));
        return view;
    }

    static Map<String, Object> view(Distributor d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id());
        view.put("node_id", d.nodeId());
        view.put("meta", d.meta() == null ? null : meta(d.meta()));
        view.put("created_at", DateTimeFormatter.ISO_INSTANT.format(d.createdAt()));
        view.put("updated_at", DateTimeFormatter.ISO_INSTANT.format(d.updatedAt()));
        return view;
    }

    private static Map<String, Object> meta(WebhookMeta meta) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("host", meta.host());
        view.put("path", meta.path());
        view.put("method", meta.methodName());
        WebhookMeta.Authentication auth = meta.authentication();
        if (auth != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", auth.type());
            if (auth.type() == WebhookMeta.Authentication.BASIC) {
                a.put("username", auth.username());
                a.put("password", auth.password());
            } else {
                a.put("token", auth.token());
            }
            view.put("authentication", a);
        }
        return view;
    }
}
