package io.contentplane.integration;

import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NotFoundException;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.security.TokenAuthentications;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

import java.time.Instant;
import java.util.Map;

/**
 * {@code /api/v1/integration/distributors}: create on a node ({@code POST /nodes/{node_id}}, 201),
 * update ({@code PUT /{id}}), get, list a node's ({@code GET /nodes/{node_id}}) and delete, the
 * signing secret of its deliveries and their history. Responses name the method
 * ({@code 1 -> "GET"}) and echo the credentials as seed 000 shows; at rest they are encrypted.
 */
@Controller("/api/v1/integration/distributors")
@Secured(TokenAuthentications.INTEGRATION)
public class DistributorController {
    private final DistributorRequests requests;
    private final DistributorStore distributors;
    private final DeliveryStore deliveries;

    public DistributorController(DistributorRequests requests, DistributorStore distributors, DeliveryStore deliveries) {
        this.requests = requests;
        this.distributors = distributors;
        this.deliveries = deliveries;
    }

    @Post("/nodes/{nodeId}")
    @Status(HttpStatus.CREATED)
    DistributorBodies.View create(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String nodeId, @Body @Nullable @Valid DistributorBodies.Create body) {
        WebhookMeta meta = requests.forCreate(body == null ? DistributorBodies.Create.NONE : body);
        return DistributorBodies.View.of(distributors.create(key.tenantId(), nodeId, meta));
    }

    @Put("/{id}")
    DistributorBodies.View update(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id, @Body @Valid DistributorBodies.Update body) {
        return DistributorBodies.View.of(distributors.update(key.tenantId(), id, current -> requests.applyUpdate(current, body)));
    }

    @Get("/{id}")
    DistributorBodies.View get(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        return DistributorBodies.View.of(distributors.get(key.tenantId(), id));
    }

    @Get("/nodes/{nodeId}")
    DistributorBodies.Page listForNode(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String nodeId,
                                       @Nullable @QueryValue("page") @Schema(type = "integer", minimum = "1", maximum = Paging.PAGE_MAX, description = Paging.PAGE_RULE) String page,
            @Nullable @QueryValue("per_page") @Schema(type = "integer", minimum = "1", maximum = "" + Paging.MAX_PER_PAGE) String perPage) {
        Paging paging = Paging.of(page, perPage);
        DistributorStore.Page result = distributors.listForNode(key.tenantId(), nodeId, paging.page(), paging.perPage());
        return new DistributorBodies.Page(result.distributors().stream().map(DistributorBodies.View::of).toList(),
                result.total(), paging.page(), paging.perPage());
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        distributors.delete(key.tenantId(), id);
        return HttpResponse.noContent();
    }

    /** The secret that signs this distributor's deliveries (Standard Webhooks), for its owner only. */
    @Get("/{id}/signing-secret")
    DistributorBodies.SigningSecret signingSecret(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        return new DistributorBodies.SigningSecret(distributors.get(key.tenantId(), id).signingSecret());
    }

    @Post("/{id}/signing-secret/rotate")
    DistributorBodies.SigningSecret rotateSigningSecret(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        return new DistributorBodies.SigningSecret(distributors.rotateSigningSecret(key.tenantId(), id).signingSecret());
    }

    /** Delivery history: event, attempts, last status and error, next attempt, state; oldest event first. */
    @Get("/{id}/deliveries")
    DistributorBodies.DeliveryPage deliveries(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id,
                                              @Nullable @QueryValue("page") @Schema(type = "integer", minimum = "1", maximum = Paging.PAGE_MAX, description = Paging.PAGE_RULE) String page,
            @Nullable @QueryValue("per_page") @Schema(type = "integer", minimum = "1", maximum = "" + Paging.MAX_PER_PAGE) String perPage) {
        Paging paging = Paging.of(page, perPage);
        distributors.get(key.tenantId(), id);
        DeliveryStore.Page result = deliveries.list(id, paging.page(), paging.perPage());
        return new DistributorBodies.DeliveryPage(result.deliveries().stream().map(DistributorBodies.DeliveryView::of).toList(),
                result.total(), paging.page(), paging.perPage());
    }

    /** Queues a delivery again, due now (for example after the receiver was fixed). */
    @Post("/{id}/deliveries/{deliveryId}/redeliver")
    @Status(HttpStatus.ACCEPTED)
    DistributorBodies.DeliveryView redeliver(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id, String deliveryId) {
        distributors.get(key.tenantId(), id);
        Delivery delivery = deliveries.find(id, deliveryId).orElseThrow(() -> new NotFoundException("Delivery"));
        if (delivery.state() == Delivery.State.PENDING) {
            throw new IntegrationException(HttpStatus.CONFLICT, "DELIVERY_PENDING", "The delivery is already queued", Map.of());
        }
        return DistributorBodies.DeliveryView.of(deliveries.redeliver(delivery, Instant.now()));
    }
}
