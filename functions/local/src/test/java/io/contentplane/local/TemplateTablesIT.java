package io.contentplane.local;

import io.contentplane.domain.testing.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link TemplateTablesContract} on LocalStack (started by the build around the *IT tests). */
class TemplateTablesIT extends TemplateTablesContract {
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void connect() {
        dynamo = TemplateTablesTest.client(LocalStack.endpoint());
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
