package io.contentplane.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The tables the local runner creates equal the ones template.yaml declares: the created tables are
 * described by the DynamoDB under test and compared with the template's own YAML, read here from
 * the repository's template.yaml as plain maps (not through TemplateTables' conversion).
 */
abstract class TemplateTablesContract {

    abstract DynamoDbClient dynamo();

    @Test
    void createdTablesEqualTheTemplates() throws IOException {
        Map<String, Object> template;
        try (InputStream in = Files.newInputStream(Path.of("../../template.yaml"))) {
            template = TemplateTables.parse(in);
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> names = Map.of("IntegrationTable", "integration-" + suffix,
                "DistributionsTable", "distributions-" + suffix);
        List<TemplateTables.Table> tables = TemplateTables.tables(template, names);
        assertEquals(names.keySet(), tables.stream().map(TemplateTables.Table::logicalId).collect(Collectors.toSet()),
                "every AWS::DynamoDB::Table of the template");

        assertEquals(List.copyOf(names.values()).stream().sorted().toList(),
                TemplateTables.createMissing(dynamo(), tables).stream().sorted().toList());
        assertEquals(List.of(), TemplateTables.createMissing(dynamo(), tables), "existing tables are left as they are");

        for (Map.Entry<String, String> entry : names.entrySet()) {
            Map<String, Object> declared = TemplateTables.map(TemplateTables.map(
                    TemplateTables.map(template.get("Resources")).get(entry.getKey())).get("Properties"));
            TableDescription table = dynamo().describeTable(r -> r.tableName(entry.getValue())).table();

            assertEquals(pairs(declared.get("KeySchema"), "AttributeName", "KeyType"),
                    table.keySchema().stream().map(k -> k.attributeName() + "=" + k.keyTypeAsString()).toList(), entry.getKey());
            assertEquals(sorted(pairs(declared.get("AttributeDefinitions"), "AttributeName", "AttributeType")),
                    sorted(table.attributeDefinitions().stream().map(a -> a.attributeName() + "=" + a.attributeTypeAsString()).toList()));
            List<Object> declaredIndexes = declared.containsKey("GlobalSecondaryIndexes")
                    ? TemplateTables.list(declared.get("GlobalSecondaryIndexes")) : List.of();
            assertEquals(declaredIndexes.size(), table.hasGlobalSecondaryIndexes() ? table.globalSecondaryIndexes().size() : 0);
            for (Object value : declaredIndexes) {
                Map<String, Object> index = TemplateTables.map(value);
                GlobalSecondaryIndexDescription created = table.globalSecondaryIndexes().stream()
                        .filter(i -> i.indexName().equals(index.get("IndexName"))).findFirst().orElseThrow();
                assertEquals(pairs(index.get("KeySchema"), "AttributeName", "KeyType"),
                        created.keySchema().stream().map(k -> k.attributeName() + "=" + k.keyTypeAsString()).toList());
                assertEquals(TemplateTables.map(index.get("Projection")).get("ProjectionType"),
                        created.projection().projectionTypeAsString());
            }
            if (declared.get("StreamSpecification") instanceof Map<?, ?> stream) {
                assertNotNull(table.streamSpecification(), entry.getKey() + " streams");
                assertEquals(stream.get("StreamViewType"), table.streamSpecification().streamViewTypeAsString());
            } else {
                assertFalse(table.streamSpecification() != null && Boolean.TRUE.equals(table.streamSpecification().streamEnabled()),
                        entry.getKey() + " has no stream in the template");
            }
            var ttl = dynamo().describeTimeToLive(r -> r.tableName(entry.getValue())).timeToLiveDescription();
            if (declared.get("TimeToLiveSpecification") instanceof Map<?, ?> spec && Boolean.TRUE.equals(spec.get("Enabled"))) {
                assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus(), entry.getKey());
                assertEquals(spec.get("AttributeName"), ttl.attributeName());
            } else {
                assertNull(ttl.attributeName(), entry.getKey() + " has no TTL in the template");
            }
        }
    }

    private static List<String> pairs(Object list, String name, String value) {
        return TemplateTables.list(list).stream().map(TemplateTables::map)
                .map(m -> m.get(name) + "=" + m.get(value)).toList();
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }
}
