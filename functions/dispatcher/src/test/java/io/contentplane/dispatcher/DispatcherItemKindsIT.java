package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.testing.TestQueues;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * template.yaml narrows the dispatcher's IntegrationTable items with dynamodb:LeadingKeys (IAM is
 * not enforced by DynamoDB Local or LocalStack, so the policy itself cannot be tried here). This
 * keeps the policy and the code together: every table item the dispatcher reads or writes while it
 * relays both outboxes, queues, claims, delivers and records deliveries must have a partition key
 * that the template's patterns admit, and its index queries stay on gsi1.
 */
class DispatcherItemKindsIT {

    /** Records the partition key of every item request, and the index and key of every index Query. */
    static final class PartitionKeys implements ExecutionInterceptor {
        final List<String> tableKeys = new CopyOnWriteArrayList<>();
        final List<String> indexQueries = new CopyOnWriteArrayList<>();
        final List<String> otherOperations = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (request instanceof GetItemRequest r) {
                tableKeys.add(pk(r.key()));
            } else if (request instanceof PutItemRequest r) {
                tableKeys.add(pk(r.item()));
            } else if (request instanceof UpdateItemRequest r) {
                tableKeys.add(pk(r.key()));
            } else if (request instanceof DeleteItemRequest r) {
                tableKeys.add(pk(r.key()));
            } else if (request instanceof TransactWriteItemsRequest r) {
                for (TransactWriteItem item : r.transactItems()) {
                    if (item.put() != null) {
                        tableKeys.add(pk(item.put().item()));
                    } else if (item.update() != null) {
                        tableKeys.add(pk(item.update().key()));
                    } else if (item.delete() != null) {
                        tableKeys.add(pk(item.delete().key()));
                    } else {
                        tableKeys.add(pk(item.conditionCheck().key()));
                    }
                }
            } else if (request instanceof QueryRequest r) {
                if (r.indexName() == null) {
                    tableKeys.add(queried(r, "pk"));
                } else {
                    indexQueries.add(r.indexName() + " " + queried(r, "gsi1pk"));
                }
            } else {
                otherOperations.add(request.getClass().getSimpleName());
            }
        }

        void reset() {
            tableKeys.clear();
            indexQueries.clear();
            otherOperations.clear();
        }

        private static String pk(Map<String, AttributeValue> key) {
            return key.get("pk").s();
        }

        /** The value the key condition gives {@code attribute} ({@code #name = :value}). */
        private static String queried(QueryRequest r, String attribute) {
            Matcher m = Pattern.compile("(#\\w+)\\s*=\\s*(:\\w+)").matcher(r.keyConditionExpression());
            while (m.find()) {
                if (attribute.equals(r.expressionAttributeNames().get(m.group(1)))) {
                    return r.expressionAttributeValues().get(m.group(2)).s();
                }
            }
            throw new IllegalStateException("no " + attribute + " in " + r.keyConditionExpression());
        }
    }

    @Test
    void everyItemTheDispatcherTouchesIsOfAKindItsPolicyAdmits() throws Exception {
        List<String> admitted = leadingKeysOfTheDispatcher();
        assertEquals(List.of("EVENT#*", "REDELIVERY#*"), admitted);
        assertTrue(admitted.stream().allMatch(glob -> glob.indexOf('*') == glob.length() - 1), "prefix patterns only");

        PartitionKeys keys = new PartitionKeys();
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = QueuedDeliveries.receiver(received);
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        props.put("webhooks.allow-insecure", true);
        try (ApplicationContext context = ApplicationContext.builder().properties(props).singletons(keys).start()) {
            // What the operator and integration functions leave for it: a relational event and a DynamoDB one.
            Distributor distributor = QueuedDeliveries.queueTwoEvents(context, receiver);
            context.getBean(DistributorStore.class).update("t", distributor.id(),
                    m -> new WebhookMeta(m.host(), "/changed", m.method(), null));
            keys.reset();

            // What DispatcherFunction runs on its schedule, until both outboxes are empty.
            EventRelay relay = context.getBean(EventRelay.class);
            int relayed = 0;
            for (int step = 0; step < 10; step++) {
                relayed += relay.relay();
            }
            assertTrue(relayed >= 3, "the three events were relayed, got " + relayed);
            // What its SnapStart priming reads (DispatcherPriming).
            context.getBean(DeliveryStore.class).redeliveries(1);
        } finally {
            receiver.stop(0);
        }

        assertFalse(keys.tableKeys.isEmpty(), "the relay's item requests were recorded");
        List<String> outside = new ArrayList<>();
        for (String pk : keys.tableKeys) {
            if (admitted.stream().noneMatch(glob -> pk.startsWith(glob.substring(0, glob.length() - 1)))) {
                outside.add(pk);
            }
        }
        assertEquals(List.of(), outside, "partition keys the dispatcher's policy would refuse");
        assertTrue(keys.tableKeys.stream().anyMatch(pk -> pk.startsWith("EVENT#")), "the DynamoDB outbox was relayed");
        assertFalse(keys.indexQueries.isEmpty());
        assertTrue(keys.indexQueries.stream().allMatch(q -> q.startsWith("gsi1 ")), keys.indexQueries.toString());
        assertEquals(List.of(), keys.otherOperations, "no Scan, Batch* or other operation");
    }

    /** The dynamodb:LeadingKeys patterns of the DispatcherFunction's policy in template.yaml. */
    static List<String> leadingKeysOfTheDispatcher() throws Exception {
        String template = Files.readString(Path.of("..", "..", "template.yaml"));
        int start = template.indexOf("\n  DispatcherFunction:\n");
        int end = template.indexOf("\n  DispatcherLogGroup:", start);
        assertTrue(start > 0 && end > start, "DispatcherFunction in template.yaml");
        String function = template.substring(start, end);
        int keysAt = function.indexOf("dynamodb:LeadingKeys:");
        assertTrue(keysAt > 0, "the dispatcher's policy has a dynamodb:LeadingKeys condition");
        List<String> patterns = new ArrayList<>();
        for (String line : function.substring(keysAt).lines().skip(1).toList()) {
            String item = line.trim();
            if (!item.startsWith("- ")) {
                break;
            }
            patterns.add(item.substring(2).trim());
        }
        return patterns;
    }
}
