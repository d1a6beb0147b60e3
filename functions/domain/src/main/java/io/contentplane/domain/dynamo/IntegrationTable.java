package io.contentplane.domain.dynamo;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
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
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String EXPIRES_AT = "expires_at";

    private final String name;

    public IntegrationTable(@Value("${dynamodb.tables.integration:contentplane-integration}") String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Creates the table on DynamoDB Local if it does not exist yet. */
    public void create(DynamoDbClient dynamo) {
        try {
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(PK), attribute(SK), attribute(GSI1_PK), attribute(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(GSI1)
                            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
                    .build());
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(EXPIRES_AT).enabled(true).build())
                    .build());
        } catch (ResourceInUseException alreadyThere) {
            // kept from an earlier run (DATA_DIR)
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
