package io.contentplane.integration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.contentplane.domain.dynamo.IntegrationTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A failure of the server itself (here: its table is gone) is 500 in the Apex shape, with no detail. */
class IntegrationServerErrorTest extends IntegrationTestSupport {

    @Test
    void aStoreFailureIs500WithoutDetail() {
        String token = token();
        String table = context.getBean(IntegrationTable.class).name();
        context.getBean(DynamoDbClient.class).deleteTable(b -> b.tableName(table));
        APIGatewayProxyResponseEvent response = call("GET", "/api/v1/integration/nodes/" + UUID.randomUUID(), api(token), null);
        Map<String, Object> error = error(response, 500, "INTERNAL_ERROR");
        assertEquals("Unexpected server error", error.get("message"));
        assertEquals(Map.of(), error.get("details"));
        assertFalse(response.getBody().contains(table), response.getBody());
    }
}
