package io.contentplane.domain.dynamo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The integration API's single DynamoDB table. Every item has {@code pk}/{@code sk}; lists use the
 * {@code gsi1} index ({@code gsi1pk}/{@code gsi1sk}); items that expire carry {@code expires_at}
 * (epoch seconds, the table's TTL attribute). template.yaml declares the same shape in AWS;
 * {@link #create} is for DynamoDB Local only (never on a Lambda cold start).
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class IntegrationTable {
    public static final String PK = SingleTable.PK;
    public static final String SK = SingleTable.SK;
    public static final String GSI1 = SingleTable.GSI1;
    public static final String GSI1_PK = SingleTable.GSI1_PK;
    public static final String GSI1_SK = SingleTable.GSI1_SK;
    public static final String EXPIRES_AT = "expires_at";

    private final String name;

    public IntegrationTable(@Value("${dynamodb.tables.integration:contentplane-integration}") String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Creates the table on DynamoDB Local if it does not exist yet, with its TTL. */
    public void create(DynamoDbClient dynamo) {
        if (SingleTable.create(dynamo, name)) {
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(EXPIRES_AT).enabled(true).build())
                    .build());
        }
    }
}
