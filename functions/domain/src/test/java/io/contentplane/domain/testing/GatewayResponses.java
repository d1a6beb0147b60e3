package io.contentplane.domain.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gateway responses template.yaml declares for one REST API (AWS::Serverless::Api), checked
 * against the error body the same API's Java error shape gives: API Gateway answers some requests
 * itself (unknown path or method, throttled, too large, integration timeout), and the clients must
 * get the same shape from it as from the function. A gateway response template is static JSON with
 * {@code $context} variables (API Gateway substitutes them without running Velocity); they are
 * substituted here with sample values and the result is compared with the Java shape's body for the
 * same status, rendered through the function's one error path ({@link ErrorResponseProcessor}).
 */
public final class GatewayResponses {
    /** Sample values of the $context variables the templates may use; any other fails the check. */
    public static final Map<String, String> SAMPLE_CONTEXT = Map.of(
            "$context.error.responseType", "WAF_FILTERED",
            "$context.error.messageString", "\"Forbidden\"",
            "$context.error.message", "Forbidden",
            "$context.requestId", "0f6c6ad2-8e8a-4b6f-9b42-1d2f6a7c9e10");
    /** The Java status that goes with the sample message of DEFAULT_4XX (WAF_FILTERED is a 403). */
    public static final int SAMPLE_4XX_STATUS = 403;
    /** The types every API must declare (each one the API can produce, plus both defaults). */
    public static final List<String> REQUIRED = List.of("DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN",
            "RESOURCE_NOT_FOUND", "ACCESS_DENIED", "THROTTLED", "REQUEST_TOO_LARGE", "INTEGRATION_TIMEOUT", "INTEGRATION_FAILURE");
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final Pattern CONTEXT_VARIABLE = Pattern.compile("\\$context(\\.[A-Za-z]+)+");

    private GatewayResponses() {
    }

    /** How a gateway body must equal the Java body. */
    public enum Match {
        /** Equal JSON. */
        EXACT,
        /**
         * Equal JSON except a message whose Java text names the request ({@code "No such endpoint: GET
         * /x"}): API Gateway cannot escape the path into JSON, so the gateway's message is the part before ": ".
         */
        MESSAGE_BEFORE_COLON,
        /** Same keys and value types everywhere (DEFAULT_4XX with API Gateway's own code and message). */
        STRUCTURE
    }

    /** The Java side of one gateway response: the status (null: the declared one), a cause, and how it must match. */
    public record Case(Integer status, Throwable cause, Match match) {
        public static Case of(Match match) {
            return new Case(null, null, match);
        }
    }

    /** One declared gateway response. */
    public record Response(String type, Integer statusCode, String template, Map<String, String> headers) {
    }

    /** One Api event of a function on the API. */
    public record Route(String function, String method, String path) {
    }

    /** The repository's template.yaml, found from the working directory up. */
    public static Map<String, Object> template() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("template.yaml");
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new Yaml(new CloudFormationConstructor()).load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    }

    /** The gateway responses of the API {@code apiLogicalId}. */
    public static Map<String, Response> of(Map<String, Object> template, String apiLogicalId) {
        Map<String, Object> api = map(map(template.get("Resources")).get(apiLogicalId));
        assertNotNull(api, "template.yaml has no resource " + apiLogicalId);
        assertEquals("AWS::Serverless::Api", api.get("Type"));
        Map<String, Response> responses = new LinkedHashMap<>();
        map(map(api.get("Properties")).get("GatewayResponses")).forEach((type, value) -> {
            Map<String, Object> response = map(value);
            Object code = response.get("StatusCode");
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, Object> parameters = map(response.get("ResponseParameters"));
            if (parameters != null) {
                map(parameters.get("Headers")).forEach((name, v) -> headers.put(name, (String) v));
            }
            String body = (String) map(response.get("ResponseTemplates")).get("application/json");
            responses.put(type, new Response(type, code == null ? null : Integer.valueOf(code.toString()), body, headers));
        });
        return responses;
    }

    /** Every Api event (method and path) of every function whose event names {@code apiLogicalId} (null: of any API). */
    public static List<Route> routes(Map<String, Object> template, String apiLogicalId) {
        List<Route> routes = new ArrayList<>();
        map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> events = map(map(resource.get("Properties")).get("Events"));
            if (events == null) {
                return;
            }
            events.values().forEach(e -> {
                Map<String, Object> event = map(e);
                Map<String, Object> properties = map(event.get("Properties"));
                if ("Api".equals(event.get("Type")) && (apiLogicalId == null || apiLogicalId.equals(properties.get("RestApiId")))) {
                    routes.add(new Route(id, (String) properties.get("Method"), (String) properties.get("Path")));
                }
            });
        });
        return routes;
    }

    /** The template with the sample $context values: fails on a variable without a sample. */
    public static String render(String template) {
        Matcher m = CONTEXT_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = SAMPLE_CONTEXT.get(m.group());
            if (value == null) {
                fail("gateway response uses " + m.group() + ", which has no sample value: " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Checks every gateway response of {@code apiLogicalId}: each required type is declared and no other
     * than {@code cases} names; each renders to JSON equal (as its case says) to the body {@code errors}
     * gives for the same status at {@code samplePath}; and the API's unknown-path answer matches the Java
     * 404 at every path the API's functions serve, so no route sits on an API of another shape.
     */
    public static void check(String apiLogicalId, ErrorResponseProcessor<?> errors, JsonMapper json,
                             String samplePath, Map<String, Case> cases) {
        Map<String, Object> template = template();
        Map<String, Response> responses = of(template, apiLogicalId);
        assertEquals(new TreeSet<>(cases.keySet()), new TreeSet<>(responses.keySet()), apiLogicalId + ": gateway responses declared vs tested");
        assertTrue(responses.keySet().containsAll(REQUIRED), apiLogicalId + " lacks some of " + REQUIRED);
        for (Response response : responses.values()) {
            Case c = cases.get(response.type());
            int status = c.status() != null ? c.status()
                    : response.statusCode() != null ? response.statusCode()
                    : response.type().equals("DEFAULT_5XX") ? 500 : SAMPLE_4XX_STATUS;
            if (response.statusCode() != null) {
                assertEquals(status, response.statusCode(), apiLogicalId + " " + response.type());
            }
            JsonNode gateway = parse(render(response.template()), apiLogicalId + " " + response.type());
            JsonNode java = javaBody(errors, json, "GET", samplePath, status, c.cause());
            compare(apiLogicalId + " " + response.type(), c.match(), java, gateway);
        }
        List<Route> routes = routes(template, apiLogicalId);
        assertFalse(routes.isEmpty(), apiLogicalId + " has no routes");
        Response notFound = responses.get("MISSING_AUTHENTICATION_TOKEN");
        JsonNode gateway = parse(render(notFound.template()), apiLogicalId + " MISSING_AUTHENTICATION_TOKEN");
        for (Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "x") + "/no-such-endpoint";
            compare(apiLogicalId + " 404 at " + route, cases.get("MISSING_AUTHENTICATION_TOKEN").match(),
                    javaBody(errors, json, route.method(), path, 404, null), gateway);
        }
    }

    /** The body the function's error path gives for {@code status} (and {@code cause}) at method and path. */
    public static JsonNode javaBody(ErrorResponseProcessor<?> errors, JsonMapper json, String method, String path,
                                    int status, Throwable cause) {
        HttpRequest<?> request = HttpRequest.create(HttpMethod.valueOf(method), path);
        ErrorContext.Builder context = ErrorContext.builder(request);
        if (cause != null) {
            context.cause(cause);
        }
        MutableHttpResponse<?> response = errors.processResponse(context.build(), HttpResponse.status(HttpStatus.valueOf(status)));
        try {
            return parse(json.writeValueAsString(response.body()), method + " " + path + " " + status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(String what, Match match, JsonNode java, JsonNode gateway) {
        switch (match) {
            case EXACT -> assertEquals(java, gateway, what);
            case MESSAGE_BEFORE_COLON -> assertEquals(cutMessages(java.deepCopy()), gateway, what + " (Java: " + java + ")");
            case STRUCTURE -> assertEquals(structure(java), structure(gateway), what + " (Java: " + java + ", gateway: " + gateway + ")");
        }
    }

    /** Every "message" string cut before its first ": ". */
    private static JsonNode cutMessages(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> names = new ArrayList<>();
            fields.forEachRemaining(f -> names.add(f.getKey()));
            for (String name : names) {
                JsonNode value = object.get(name);
                if (name.equals("message") && value.isTextual() && value.asText().contains(": ")) {
                    object.set(name, TextNode.valueOf(value.asText().substring(0, value.asText().indexOf(": "))));
                } else {
                    cutMessages(value);
                }
            }
        } else if (node.isArray()) {
            node.forEach(GatewayResponses::cutMessages);
        }
        return node;
    }

    /** The JSON with every string replaced by "string", every number by 0. */
    private static JsonNode structure(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = TREES.createObjectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(), structure(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            var out = TREES.createArrayNode();
            node.forEach(e -> out.add(structure(e)));
            return out;
        }
        return node.isTextual() ? TextNode.valueOf("string") : node.isNumber() ? TREES.getNodeFactory().numberNode(0) : node;
    }

    private static JsonNode parse(String body, String what) {
        try {
            JsonNode node = TREES.readTree(body);
            assertTrue(node != null && node.isObject(), what + ": not a JSON object: " + body);
            return node;
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + body, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** YAML with CloudFormation's short-form tags (!Ref X is "X", !Sub '...' its string, !If [...] its list). */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return scalar.getValue();
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    Map<Object, Object> mapping = new LinkedHashMap<>();
                    constructMapping2ndStep((MappingNode) node, mapping);
                    return mapping;
                }
            });
        }
    }
}
