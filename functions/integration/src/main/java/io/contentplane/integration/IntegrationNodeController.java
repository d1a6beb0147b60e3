package io.contentplane.integration;

import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.Node;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.node.NodeControlService;
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

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/v1/integration/nodes}: create, get, update (name), soft delete, and
 * {@code GET /nodes/{id}/children?page=&per_page=}. A node created here is also registered in the
 * parameter table, so the operator and public APIs address it at once; its operator secret is
 * returned once, in the creation answer, and stored only encrypted.
 */
@Controller("/api/v1/integration/nodes")
@Secured(TokenAuthentications.INTEGRATION)
public class IntegrationNodeController {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NodeRegistry nodes;
    private final NodeControlService control;

    public IntegrationNodeController(NodeRegistry nodes, NodeControlService control) {
        this.nodes = nodes;
        this.control = control;
    }

    @Post
    @Status(HttpStatus.CREATED)
    NodeBodies.View create(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, @Body @Valid NodeBodies.Create body) {
        Node node = nodes.create(key.tenantId(), body.parentId(), body.name().trim(), body.type());
        String operatorSecret = newSecret();
        try {
            control.register(node.id(), operatorSecret);
        } catch (RuntimeException e) {
            nodes.delete(key.tenantId(), node.id()); // no node without control state
            throw e;
        }
        return NodeBodies.View.of(node, operatorSecret);
    }

    @Get("/{id}")
    NodeBodies.View get(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        return NodeBodies.View.of(nodes.get(key.tenantId(), id));
    }

    @Put("/{id}")
    NodeBodies.View update(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id, @Body @Valid NodeBodies.Update body) {
        Node current = nodes.get(key.tenantId(), id);
        Map<String, String> errors = new LinkedHashMap<>();
        if (body.given("type") && !Objects.equals(body.getType(), current.type())) {
            errors.put("type", "cannot be changed");
        }
        if (body.given("parent_id") && !Objects.equals(current.parentId(), body.getParentId())) {
            errors.put("parent_id", "cannot be changed");
        }
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
        Node updated = body.getName() == null ? current : nodes.rename(key.tenantId(), id, body.getName().trim());
        return NodeBodies.View.of(updated);
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id) {
        nodes.delete(key.tenantId(), id);
        return HttpResponse.noContent();
    }

    @Get("/{id}/children")
    NodeBodies.Page children(@RequestAttribute(IntegrationGate.API_KEY) ApiKey key, String id,
                             @Nullable @QueryValue("page") @Schema(type = "integer", minimum = "1", maximum = Paging.PAGE_MAX, description = Paging.PAGE_RULE) String page,
            @Nullable @QueryValue("per_page") @Schema(type = "integer", minimum = "1", maximum = "" + Paging.MAX_PER_PAGE) String perPage) {
        Paging paging = Paging.of(page, perPage);
        NodeRegistry.Page result = nodes.children(key.tenantId(), id, paging.page(), paging.perPage());
        return new NodeBodies.Page(result.nodes().stream().map(NodeBodies.View::of).toList(), result.total(),
                paging.page(), paging.perPage());
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
