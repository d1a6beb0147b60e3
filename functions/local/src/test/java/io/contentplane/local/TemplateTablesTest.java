package io.contentplane.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.Map;

/** {@link TemplateTablesContract} on the local runner's embedded DynamoDB Local. */
class TemplateTablesTest extends TemplateTablesContract {
    private static EmbeddedDynamo embedded;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        embedded = EmbeddedDynamo.start(LocalSettings.from(Map.of("IN_MEMORY", "true")::get));
        dynamo = client(embedded.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        embedded.close();
    }

    static DynamoDbClient client(String endpoint) {
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(URI.create(endpoint)).build();
    }

    @Override
    DynamoDbClient dynamo() {
        return dynamo;
    }
}
