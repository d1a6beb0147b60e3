package io.contentplane.integration;

import io.contentplane.domain.integration.ApiKey;
import io.contentplane.domain.integration.Node;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.node.NodeControlService;
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

import java.security.SecureRandom;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/integration/nodes}: create, get, update (name), soft delete, and
 * {@code GET /nodes/{id}/children?page=&per_page=}. A node created here is also registered in the
 * parameter table, so the operator and public APIs address it at once; its operator secret is
 * returned once, in the creation answer, and stored only encrypted.
 */
@Controller("/api/v1/integration/nodes")
public class IntegrationNodeController {
    static final int MAX_NAME = 255;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IntegrationGate gate;
    private final JsonBodies bodies;
    private final NodeRegistry nodes;
    private final NodeControlService control;

    public IntegrationNodeController(IntegrationGate gate, JsonBodies bodies, NodeRegistry nodes, NodeControlService control) {
        this.gate = gate;
        this.bodies = bodies;
        this.nodes = nodes;
        this.control = control;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(HttpRequest<?> request, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Map<String, Object> json = bodies.object(body);
            Map<String, String> errors = new LinkedHashMap<>();
            JsonBodies.rejectUnknown(json, Set.of("name", "type", "parent_id"), "", errors);
            String name = name(json.get("name"), json.containsKey("name"), true, errors);
            Long type = JsonBodies.integer(json.get("type"));
            if (type == null || type < 1 || type > 3) {
                errors.put("type", "required: 1 (Apex), 2 (Account) or 3 (SubAccount)");
            }
            Object parent = json.get("parent_id");
            if (parent != null && !(parent instanceof String)) {
                errors.put("parent_id", "must be a node id (UUID) or null");
            }
            if (!errors.isEmpty()) {
                throw IntegrationException.validation(errors);
            }
            Node node = nodes.create(key.tenantId(), (String) parent, name, type.intValue());
            String operatorSecret = newSecret();
            try {
                control.register(node.id(), operatorSecret);
            } catch (RuntimeException e) {
                nodes.delete(key.tenantId(), node.id()); // no node without control state
                throw e;
            }
            Map<String, Object> view = view(node);
            view.put("operator_secret", operatorSecret);
            return HttpResponse.status(HttpStatus.CREATED).body(view);
        });
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> get(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            return HttpResponse.ok(view(nodes.get(key.tenantId(), id)));
        });
    }

    @Put(uri = "/{id}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> update(HttpRequest<?> request, @PathVariable String id, @Body @Nullable String body) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Map<String, Object> json = bodies.object(body);
            Node current = nodes.get(key.tenantId(), id);
            Map<String, String> errors = new LinkedHashMap<>();
            JsonBodies.rejectUnknown(json, Set.of("name", "type", "parent_id"), "", errors);
            String name = name(json.get("name"), json.containsKey("name"), false, errors);
            if (json.containsKey("type") && !Long.valueOf(current.type()).equals(JsonBodies.integer(json.get("type")))) {
                errors.put("type", "cannot be changed");
            }
            if (json.containsKey("parent_id") && !java.util.Objects.equals(current.parentId(), json.get("parent_id"))) {
                errors.put("parent_id", "cannot be changed");
            }
            if (!errors.isEmpty()) {
                throw IntegrationException.validation(errors);
            }
            Node updated = name == null ? current : nodes.rename(key.tenantId(), id, name);
            return HttpResponse.ok(view(updated));
        });
    }

    @Delete(uri = "/{id}")
    HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String id) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            nodes.delete(key.tenantId(), id);
            return HttpResponse.noContent();
        });
    }

    @Get(uri = "/{id}/children", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> children(HttpRequest<?> request, @PathVariable String id,
                             @Nullable @QueryValue("page") String page, @Nullable @QueryValue("per_page") String perPage) {
        return IntegrationResponses.handle(() -> {
            ApiKey key = gate.authorize(request);
            Paging paging = Paging.of(page, perPage);
            NodeRegistry.Page result = nodes.children(key.tenantId(), id, paging.page(), paging.perPage());
            return HttpResponse.ok(paging.answer("nodes",
                    result.nodes().stream().map(IntegrationNodeController::view).toList(), result.total()));
        });
    }

    static Map<String, Object> view(Node node) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", node.id());
        view.put("parent_id", node.parentId());
        view.put("name", node.name());
        view.put("type", node.type());
        view.put("path", node.path());
        view.put("int_id", node.intId());
        view.put("created_at", DateTimeFormatter.ISO_INSTANT.format(node.createdAt()));
        view.put("updated_at", DateTimeFormatter.ISO_INSTANT.format(node.updatedAt()));
        return view;
    }

    @Nullable
    private static String name(Object value, boolean present, boolean required, Map<String, String> errors) {
        if (!present) {
            if (required) {
                errors.put("name", "required");
            }
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            errors.put("name", "must be a non-empty string");
            return null;
        }
        if (s.length() > MAX_NAME) {
            errors.put("name", "must be at most " + MAX_NAME + " characters");
            return null;
        }
        return s.trim();
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
