package io.contentplane.domain.distribution;

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

/**
 * The distributions API's DynamoDB table, shaped like the integration table ({@code pk}/{@code sk},
 * index {@code gsi1} on {@code gsi1pk}/{@code gsi1sk}) but separate, so each function's role
 * reaches only its own data. Items:
 * <ul>
 *   <li>{@code DIST#<workspace>#<id>} / {@code DISTRIBUTION}: a distribution; {@code gsi1} lists a
 *       workspace's distributions in creation order;</li>
 *   <li>{@code DIST#<workspace>#<id>} / {@code ROUTE#<route id>}: its routes, in the same partition
 *       so one consistent query reads a distribution with its routes;</li>
 *   <li>{@code IDENT#...} and {@code HOST#...} / {@code UNIQUE}: uniqueness claims of identifiers and
 *       of route hosts and paths, written in the same transaction as what they guard.</li>
 * </ul>
 * template.yaml declares the same shape in AWS; {@link #create} is for DynamoDB Local only.
 */
// Only in functions that ship the DynamoDB SDK (the operator and status jars do not).
@Requires(classes = DynamoDbClient.class)
@Singleton
public class DistributionsTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";

    private final String name;

    public DistributionsTable(@Value("${dynamodb.tables.distributions:contentplane-distributions}") String name) {
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
                    .attributeDefinitions(attribute(PK), attribute(SK), attribute(GSI1_PK), attribute(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(GSI1)
                            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
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
