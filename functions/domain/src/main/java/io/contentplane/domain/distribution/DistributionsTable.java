package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.SingleTable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    public static final String PK = SingleTable.PK;
    public static final String SK = SingleTable.SK;
    public static final String GSI1 = SingleTable.GSI1;
    public static final String GSI1_PK = SingleTable.GSI1_PK;
    public static final String GSI1_SK = SingleTable.GSI1_SK;

    private final String name;

    public DistributionsTable(@Value("${dynamodb.tables.distributions:contentplane-distributions}") String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Creates the table on DynamoDB Local if it does not exist yet. */
    public void create(DynamoDbClient dynamo) {
        SingleTable.create(dynamo, name);
    }
}
