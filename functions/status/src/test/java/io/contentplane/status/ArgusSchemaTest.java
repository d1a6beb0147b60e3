package io.contentplane.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.contentplane.domain.node.DataPlane;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.LambdaEvents;
import io.contentplane.domain.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real /status and /buckets answers (through the Lambda handler) validated by a JSON Schema
 * validator (networknt, OpenAPI 3.0 dialect) against Argus's public.yml schemas StatusResponse and
 * BucketsResponse, with today's extra fields kept; and the data plane's figures are the ones the
 * node reported, not made up.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArgusSchemaTest implements TestPropertyProvider {
    private static final String SCHEMAS = "classpath:argus-public-schemas.yml#/components/schemas/";
    private static final String DEFAULT_NODE = "e40efce4-38a3-46c4-a202-e8db95d0409c";
    @Inject
    ApplicationContext context;
    @Inject
    JsonMapper json;
    @Inject
    NodeControlService nodes;
    private StatusFunction handler;
    private Schema statusResponse;
    private Schema bucketsResponse;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = TestDatabases.strings(TestDatabases.h2());
        props.put("node.id", DEFAULT_NODE);
        return props;
    }

    @BeforeAll
    void start() {
        handler = new StatusFunction(context);
        nodes.register(DEFAULT_NODE, null);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        statusResponse = registry.getSchema(SchemaLocation.of(SCHEMAS + "StatusResponse"));
        bucketsResponse = registry.getSchema(SchemaLocation.of(SCHEMAS + "BucketsResponse"));
    }

    private String get(String path) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(LambdaEvents.request("GET", path, Map.of(), null),
                LambdaEvents.context());
        assertEquals(200, response.getStatusCode(), response.getBody());
        return response.getBody();
    }

    private static void valid(Schema schema, String body) {
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        assertTrue(errors.isEmpty(), body + " -> " + errors);
    }

    private Map<String, Object> map(String body) throws IOException {
        return json.readValue(body, Argument.mapOf(String.class, Object.class));
    }

    @Test
    void theValidatorRefusesWhatArgusSchemasRefuse() {
        // the control: the answer before this work, and broken shapes, fail the same validator
        assertFalse(statusResponse.validate("{\"id\":\"n\",\"version\":\"0.1.0\",\"workerId\":0,\"uptime\":4,"
                + "\"publicApi\":\"STARTED\",\"lifecycle\":\"RUNNING\"}", InputFormat.JSON).isEmpty());
        assertFalse(statusResponse.validate("{\"id\":\"n\",\"version\":\"0.1.0\",\"objectsInCache\":-1,\"storageLimit\":0,"
                + "\"storageUsed\":0,\"uptime\":4,\"downloadsInProgress\":0}", InputFormat.JSON).isEmpty());
        assertFalse(bucketsResponse.validate("{\"bucketIds\":[\"x\"]}", InputFormat.JSON).isEmpty());
        assertFalse(bucketsResponse.validate("{\"allByWorkerId\":-1}", InputFormat.JSON).isEmpty());
        assertFalse(bucketsResponse.validate("{}", InputFormat.JSON).isEmpty());
    }

    @Test
    void statusOfANodeThatNeverReportedValidatesWithZeroFiguresAndNoReportTime() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        String body = get("/api/v1/nodes/" + id + "/status");
        valid(statusResponse, body);
        Map<String, Object> status = map(body);
        for (String figure : List.of("objectsInCache", "storageLimit", "storageUsed", "downloadsInProgress")) {
            assertEquals(0, ((Number) status.get(figure)).intValue(), figure);
        }
        assertNull(status.get("usageReportedAt"));
        assertEquals("STARTED", status.get("publicApi")); // today's extra fields stay
        assertEquals("RUNNING", status.get("lifecycle"));
        valid(statusResponse, get("/api/v1/status"));
    }

    @Test
    void statusCarriesTheFiguresTheNodeReported() throws Exception {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        nodes.setWorker(id, 7);
        assertTrue(nodes.reportDataPlane(id, new DataPlane(1234, 500_000_000_000L, 321_000_000L, 5)));
        String body = get("/api/v1/nodes/" + id + "/status");
        valid(statusResponse, body);
        Map<String, Object> status = map(body);
        assertEquals(1234, ((Number) status.get("objectsInCache")).longValue());
        assertEquals(500_000_000_000L, ((Number) status.get("storageLimit")).longValue());
        assertEquals(321_000_000L, ((Number) status.get("storageUsed")).longValue());
        assertEquals(5, ((Number) status.get("downloadsInProgress")).longValue());
        assertEquals(7, ((Number) status.get("workerId")).intValue());
        assertTrue(status.get("usageReportedAt") instanceof String, body);
        // a later report replaces the figures
        assertTrue(nodes.reportDataPlane(id, new DataPlane(0, 10, 0, 0)));
        assertEquals(10, ((Number) map(get("/api/v1/nodes/" + id + "/status")).get("storageLimit")).longValue());
        assertFalse(nodes.reportDataPlane("no-such-node", new DataPlane(1, 1, 1, 1)));
    }

    @Test
    void bucketsValidateInEachOfArgusForms() {
        String id = UUID.randomUUID().toString();
        nodes.register(id, null);
        String path = "/api/v1/nodes/" + id + "/buckets";
        valid(bucketsResponse, get(path)); // {"bucketIds":[]}
        nodes.setWorker(id, 4);
        String all = get(path);
        valid(bucketsResponse, all);
        assertTrue(all.contains("allByWorkerId"), all);
        nodes.setBuckets(id, "[\"1:0\",\"2:3\"]");
        String some = get(path);
        valid(bucketsResponse, some);
        assertTrue(some.contains("\"2:3\""), some);
        valid(bucketsResponse, get("/api/v1/buckets"));
    }
}
