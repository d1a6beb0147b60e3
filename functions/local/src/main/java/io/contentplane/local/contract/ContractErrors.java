package io.contentplane.local.contract;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A build step (process-classes, after micronaut-openapi wrote the document): every operation answers
 * its API's error shape for any status it does not list, so each operation gets a {@code default}
 * response with that shape (components ArgusError, ApexError, BuddyErrors, merged from
 * src/main/openapi), and a delete its 204. Each API maps all its errors in one place, so this holds
 * for every operation, including ones added later; micronaut-openapi merges per operation only by
 * replacing the operation's parameters, hence this step instead of a hand-kept list per operation.
 * Likewise every API reads request bodies strictly (an unknown field is a 400), which the generator
 * cannot see: each request body's schema, and each object nested in it, gets {@code additionalProperties: false}.
 */
public final class ContractErrors {
    private ContractErrors() {
    }

    public static void main(String[] args) throws IOException {
        Path document = Path.of(args[0]);
        Map<String, Object> openApi = ContractYaml.read(document);
        complete(openApi);
        ContractYaml.write(document, openApi);
    }

    @SuppressWarnings("unchecked")
    static void complete(Map<String, Object> openApi) {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) openApi.get("components")).get("schemas");
        Map<String, Object> paths = (Map<String, Object>) openApi.get("paths");
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            String shape = shape(path.getKey());
            for (Map.Entry<String, Object> operation : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (!(operation.getValue() instanceof Map)) {
                    continue; // path-level parameters
                }
                strictBody((Map<String, Object>) operation.getValue(), schemas);
                Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) operation.getValue())
                        .computeIfAbsent("responses", k -> new LinkedHashMap<>());
                if ("delete".equals(operation.getKey())) {
                    responses.remove("200"); // HttpResponse<Void> from a delete: Micronaut answers 204
                    responses.put("204", Map.of("description", "Deleted"));
                }
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("description", "An error in this API's shape (" + shape + ")");
                error.put("content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/" + shape))));
                responses.put("default", error);
            }
        }
    }

    /**
     * The operation's JSON body schema, and every object schema nested in it (through references,
     * properties, items and references in allOf/oneOf/anyOf), admits no field it does not declare; a map (a schema
     * whose additionalProperties is a schema) keeps it.
     */
    @SuppressWarnings("unchecked")
    private static void strictBody(Map<String, Object> operation, Map<String, Object> schemas) {
        if (operation.get("requestBody") instanceof Map<?, ?> body && body.get("content") instanceof Map<?, ?> content
                && content.get("application/json") instanceof Map<?, ?> json && json.get("schema") instanceof Map<?, ?> schema) {
            strict((Map<String, Object>) schema, schemas, new HashSet<>());
        }
    }

    @SuppressWarnings("unchecked")
    private static void strict(Map<String, Object> schema, Map<String, Object> schemas, Set<String> seen) {
        if (schema.get("$ref") instanceof String ref) {
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (seen.add(name) && schemas.get(name) instanceof Map<?, ?> component) {
                strict((Map<String, Object>) component, schemas, seen);
            }
            return;
        }
        if ("object".equals(schema.get("type")) || schema.get("properties") instanceof Map) {
            schema.putIfAbsent("additionalProperties", false);
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.values().forEach(p -> nested(p, schemas, seen));
        }
        nested(schema.get("items"), schemas, seen);
        nested(schema.get("additionalProperties"), schemas, seen);
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.get(combinator) instanceof List<?> branches) {
                // inline branches only narrow the fields declared beside them (rules.yml): references only
                branches.stream().filter(b -> b instanceof Map<?, ?> m && m.containsKey("$ref")).forEach(b -> nested(b, schemas, seen));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void nested(Object schema, Map<String, Object> schemas, Set<String> seen) {
        if (schema instanceof Map<?, ?> map) {
            strict((Map<String, Object>) map, schemas, seen);
        }
    }

    private static String shape(String path) {
        if (path.startsWith("/workspaces/")) {
            return "BuddyErrors";
        }
        return path.startsWith("/api/v1/integration/") ? "ApexError" : "ArgusError";
    }
}
