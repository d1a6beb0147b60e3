package io.contentplane.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link TemplateTablesContract} on LocalStack (started by the build around the *IT tests). */
class TemplateTablesIT extends TemplateTablesContract {
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void connect() {
        String endpoint = System.getProperty("localstack.endpoint");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("localstack.endpoint is not set: run through Maven (mvn verify starts LocalStack)");
        }
        dynamo = TemplateTablesTest.client(endpoint);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Override
    DynamoDbClient dynamo() {
        return dynamo;
    }
}
