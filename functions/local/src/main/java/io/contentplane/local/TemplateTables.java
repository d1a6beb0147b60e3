package io.contentplane.local;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DynamoDB tables as template.yaml declares them, read from the template itself (packed into
 * local.jar at build time), so that the tables the local runner creates - in its embedded DynamoDB
 * Local or in LocalStack - cannot drift from the deployed ones: key schema, attribute definitions,
 * global secondary indexes and their projections, streams and time to live. Billing, encryption,
 * recovery and tags are AWS-side settings the emulators ignore.
 */
final class TemplateTables {
    static final String RESOURCE = "/contentplane/template.yaml";

    private TemplateTables() {
    }

    /** One table: its logical id in the template, how to create it, and its TTL attribute (or null). */
    record Table(String logicalId, CreateTableRequest create, String ttlAttribute) {
    }

    /** The template packed into local.jar. */
    static Map<String, Object> packedTemplate() {
        try (InputStream in = TemplateTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (packed by functions/local/pom.xml)");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CloudFormation template as plain maps and lists; intrinsic functions (!Ref, !Sub...) as their plain value. */
    static Map<String, Object> parse(InputStream template) {
        return new Yaml(new CloudFormationConstructor()).load(template);
    }

    /** Every AWS::DynamoDB::Table of the template, each created under the name {@code names} gives its logical id. */
    static List<Table> tables(Map<String, Object> template, Map<String, String> names) {
        List<Table> tables = new ArrayList<>();
        map(template.get("Resources")).forEach((logicalId, value) -> {
            Map<String, Object> resource = map(value);
            if (!"AWS::DynamoDB::Table".equals(resource.get("Type"))) {
                return;
            }
            String name = names.get(logicalId);
            if (name == null) {
                throw new IllegalStateException("template.yaml declares table " + logicalId + ", which the local runner does not know");
            }
            Map<String, Object> properties = map(resource.get("Properties"));
            CreateTableRequest.Builder create = CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(list(properties.get("AttributeDefinitions")).stream().map(TemplateTables::map)
                            .map(a -> AttributeDefinition.builder().attributeName(string(a.get("AttributeName")))
                                    .attributeType(string(a.get("AttributeType"))).build()).toList())
                    .keySchema(keySchema(properties.get("KeySchema")));
            if (properties.containsKey("GlobalSecondaryIndexes")) {
                create.globalSecondaryIndexes(list(properties.get("GlobalSecondaryIndexes")).stream().map(TemplateTables::map)
                        .map(index -> GlobalSecondaryIndex.builder()
                                .indexName(string(index.get("IndexName")))
                                .keySchema(keySchema(index.get("KeySchema")))
                                .projection(projection(map(index.get("Projection"))))
                                .build()).toList());
            }
            if (properties.containsKey("StreamSpecification")) {
                create.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(string(map(properties.get("StreamSpecification")).get("StreamViewType"))).build());
            }
            String ttl = null;
            if (properties.get("TimeToLiveSpecification") instanceof Map<?, ?> spec
                    && Boolean.TRUE.equals(spec.get("Enabled"))) {
                ttl = string(spec.get("AttributeName"));
            }
            tables.add(new Table(logicalId, create.build(), ttl));
        });
        return tables;
    }

    /** Creates each table that does not exist yet and switches its TTL on; answers the names it created. */
    static List<String> createMissing(DynamoDbClient dynamo, List<Table> tables) {
        List<String> created = new ArrayList<>();
        for (Table table : tables) {
            String name = table.create().tableName();
            try {
                dynamo.createTable(table.create());
                created.add(name);
            } catch (ResourceInUseException alreadyThere) {
                continue;
            }
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
            if (table.ttlAttribute() != null) {
                dynamo.updateTimeToLive(r -> r.tableName(name)
                        .timeToLiveSpecification(t -> t.attributeName(table.ttlAttribute()).enabled(true)));
            }
        }
        return created;
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return list(value).stream().map(TemplateTables::map)
                .map(k -> KeySchemaElement.builder().attributeName(string(k.get("AttributeName")))
                        .keyType(string(k.get("KeyType"))).build()).toList();
    }

    private static Projection projection(Map<String, Object> projection) {
        Projection.Builder builder = Projection.builder().projectionType(string(projection.get("ProjectionType")));
        if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
            builder.nonKeyAttributes(attributes.stream().map(TemplateTables::string).toList());
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalStateException("template.yaml: expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (!(value instanceof List<?>)) {
            throw new IllegalStateException("template.yaml: expected a list, found " + value);
        }
        return (List<Object>) value;
    }

    static String string(Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalStateException("template.yaml: expected a string, found " + value);
        }
        return s;
    }

    /** Reads CloudFormation's short-form intrinsic functions (!Ref X, !GetAtt A.B, !Sub ...) as their plain node. */
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
