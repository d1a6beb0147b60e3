package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.delivery.DeliveryQueues;
import io.contentplane.domain.delivery.DeliveryStore;
import io.contentplane.domain.delivery.EventRelay;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.testing.GatewayResponses;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * that the template's patterns admit, and its index queries stay on gsi1. The same for the delivery
 * function, both ways: its IntegrationTable statements admit every access it makes, and grant no
 * action or item kind it does not use ({@link #assertPolicyFits}).
 */
class DispatcherItemKindsIT {

    /**
     * One item-level authorization IAM makes: the action (a transaction is authorized per item, by the
     * item's own action), the resource ({@code table} or {@code index/<name>}) and the partition key
     * value (the index's, for an index Query).
     */
    record Access(String action, String resource, String key) {
    }

    /** Records the partition key of every item request, and the index and key of every index Query. */
    static final class PartitionKeys implements ExecutionInterceptor {
        final List<String> tableKeys = new CopyOnWriteArrayList<>();
        final List<String> indexQueries = new CopyOnWriteArrayList<>();
        final List<String> otherOperations = new CopyOnWriteArrayList<>();
        final List<Access> accesses = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (request instanceof GetItemRequest r) {
                table("GetItem", pk(r.key()));
            } else if (request instanceof PutItemRequest r) {
                table("PutItem", pk(r.item()));
            } else if (request instanceof UpdateItemRequest r) {
                table("UpdateItem", pk(r.key()));
            } else if (request instanceof DeleteItemRequest r) {
                table("DeleteItem", pk(r.key()));
            } else if (request instanceof TransactWriteItemsRequest r) {
                for (TransactWriteItem item : r.transactItems()) {
                    if (item.put() != null) {
                        table("PutItem", pk(item.put().item()));
                    } else if (item.update() != null) {
                        table("UpdateItem", pk(item.update().key()));
                    } else if (item.delete() != null) {
                        table("DeleteItem", pk(item.delete().key()));
                    } else {
                        table("ConditionCheckItem", pk(item.conditionCheck().key()));
                    }
                }
            } else if (request instanceof QueryRequest r) {
                if (r.indexName() == null) {
                    table("Query", queried(r, "pk"));
                } else {
                    indexQueries.add(r.indexName() + " " + queried(r, "gsi1pk"));
                    accesses.add(new Access("dynamodb:Query", "index/" + r.indexName(), queried(r, "gsi1pk")));
                }
            } else {
                otherOperations.add(request.getClass().getSimpleName());
            }
        }

        private void table(String action, String pk) {
            tableKeys.add(pk);
            accesses.add(new Access("dynamodb:" + action, "table", pk));
        }

        void reset() {
            tableKeys.clear();
            indexQueries.clear();
            otherOperations.clear();
            accesses.clear();
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
            // and a redelivery the integration API wrote (POST .../deliveries/{id}/redeliver)
            DeliveryStore deliveries = context.getBean(DeliveryStore.class);
            String eventId = "evt_" + java.util.UUID.randomUUID().toString().replace("-", "");
            java.time.Instant at = java.time.Instant.now();
            deliveries.enqueue(distributor.id(), eventId, "node.worker.changed", distributor.nodeId(), "{}", at, at);
            deliveries.redeliver(deliveries.find(distributor.id(), eventId).orElseThrow(), at);
            keys.reset();

            // What DispatcherFunction runs on its schedule, until both outboxes are empty.
            EventRelay relay = context.getBean(EventRelay.class);
            int relayed = 0;
            for (int step = 0; step < 10; step++) {
                relayed += relay.relay();
            }
            assertTrue(relayed >= 4, "the three events and the redelivery were relayed, got " + relayed);
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
        assertTrue(keys.tableKeys.stream().anyMatch(pk -> pk.startsWith("REDELIVERY#")), "the redelivery was relayed");
        assertFalse(keys.indexQueries.isEmpty());
        assertTrue(keys.indexQueries.stream().allMatch(q -> q.startsWith("gsi1 ")), keys.indexQueries.toString());
        assertEquals(List.of(), keys.otherOperations, "no Scan, Batch* or other operation");
        assertPolicyFits("DispatcherFunction", keys.accesses);
    }

    /**
     * The delivery function (fan-out and delivery from both queues, through its handler, with a page of
     * one distributor so that a fan-out saves and deletes its cursor, one webhook answering 204 and one
     * 503; then its SnapStart priming): every item access is granted by its policy's IntegrationTable
     * statements, and every action and LeadingKeys pattern they grant is used.
     */
    @Test
    void everyItemTheDeliveryFunctionTouchesIsOfAKindItsPolicyAdmits() throws Exception {
        PartitionKeys keys = new PartitionKeys();
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = QueuedDeliveries.receiver(received);
        HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        failing.start();
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.putAll(TestQueues.properties());
        props.put("webhooks.allow-insecure", true);
        props.put("delivery.fan-out-page", 1);
        try (ApplicationContext context = ApplicationContext.builder().properties(props).singletons(keys).start()) {
            Distributor distributor = QueuedDeliveries.queueTwoEvents(context, receiver);
            context.getBean(DistributorStore.class).create("t", distributor.nodeId(),
                    new WebhookMeta("http://127.0.0.1:" + failing.getAddress().getPort(), "/hook", 2, null));
            EventRelay relay = context.getBean(EventRelay.class);
            for (int step = 0; step < 10; step++) {
                relay.relay();
            }
            keys.reset();

            DeliveryQueueFunction delivery = new DeliveryQueueFunction(context);
            SqsClient sqs = context.getBean(SqsClient.class);
            DeliveryQueues queues = context.getBean(DeliveryQueues.class);
            int handled = 0;
            for (int quiet = 0, round = 0; quiet < 2 && round < 60; round++) {
                int now = 0;
                for (DeliveryQueues.Queue queue : DeliveryQueues.Queue.values()) {
                    now += handleOne(sqs, queues.url(queue), delivery);
                }
                handled += now;
                quiet = now == 0 ? quiet + 1 : 0;
            }
            assertTrue(handled >= 5, "fan-out steps and deliveries handled: " + handled);
            // distributor.created (its own), node.worker.changed, distributor.created (the failing one's)
            assertEquals(3, received.size(), "the healthy webhook's events: " + received);
            delivery.priming().beforeCheckpoint(null);
        } finally {
            receiver.stop(0);
            failing.stop(0);
        }

        assertEquals(List.of(), keys.otherOperations, "no Scan, Batch* or other operation");
        assertPolicyFits("DeliveryFunction", keys.accesses);
    }

    /** Receives at most one message of {@code url}, hands it to the function as its event source would; 1 if there was one. */
    private static int handleOne(SqsClient sqs, String url, DeliveryQueueFunction function) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)
                .messageSystemAttributeNamesWithStrings("All")).messages();
        if (messages.isEmpty()) {
            return 0;
        }
        Message m = messages.get(0);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", m.messageId());
        record.put("receiptHandle", m.receiptHandle());
        record.put("body", m.body());
        record.put("attributes", new LinkedHashMap<>(m.attributesAsStrings()));
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:eu-west-1:000000000000:" + url.substring(url.lastIndexOf('/') + 1));
        Map<String, Object> answer = function.handleRequest(Map.of("Records", List.of(record)), null);
        if (List.of().equals(answer.get("batchItemFailures"))) {
            sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
        return 1;
    }

    /** One DynamoDB statement of a function's policy in template.yaml: its actions, resources and LeadingKeys patterns. */
    record Grant(String sid, List<String> actions, List<String> resources, List<String> leadingKeys) {
        boolean admits(Access access) {
            return actions.contains(access.action()) && resources.contains(access.resource())
                    && (leadingKeys.isEmpty() || leadingKeys.stream().anyMatch(glob -> matches(glob, access.key())));
        }
    }

    /**
     * Least privilege, both ways: each access is admitted by one of the function's IntegrationTable
     * statements, and each action of each statement (with each of its LeadingKeys patterns) was used.
     */
    static void assertPolicyFits(String function, List<Access> accesses) {
        List<Grant> grants = integrationTableGrants(function);
        assertFalse(grants.isEmpty(), function + " has IntegrationTable statements");
        assertFalse(accesses.isEmpty(), function + "'s item requests were recorded");
        for (Grant grant : grants) {
            assertTrue(grant.leadingKeys().stream().allMatch(glob -> glob.indexOf('*') == glob.length() - 1),
                    grant.sid() + ": prefix patterns only");
        }
        Set<Access> refused = new TreeSet<>(java.util.Comparator.comparing(Access::toString));
        for (Access access : accesses) {
            if (grants.stream().noneMatch(g -> g.admits(access))) {
                refused.add(access);
            }
        }
        assertEquals(Set.of(), refused, "accesses " + function + "'s policy would refuse");
        List<String> unused = new ArrayList<>();
        for (Grant grant : grants) {
            for (String action : grant.actions()) {
                for (String resource : grant.resources()) {
                    List<String> patterns = grant.leadingKeys().isEmpty() ? java.util.Collections.singletonList(null) : grant.leadingKeys();
                    for (String glob : patterns) {
                        boolean used = accesses.stream().anyMatch(a -> a.action().equals(action) && a.resource().equals(resource)
                                && (glob == null || matches(glob, a.key())));
                        if (!used) {
                            unused.add(grant.sid() + " " + action + " " + resource + (glob == null ? "" : " " + glob));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unused, function + "'s grants no code path used");
    }

    /** The statements of {@code function}'s policy in template.yaml that grant dynamodb actions, resources named after IntegrationTable. */
    @SuppressWarnings("unchecked")
    static List<Grant> integrationTableGrants(String function) {
        Map<String, Object> resources = (Map<String, Object>) GatewayResponses.template().get("Resources");
        Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resources.get(function)).get("Properties");
        List<Grant> grants = new ArrayList<>();
        for (Object policy : (List<Object>) properties.get("Policies")) {
            if (!(policy instanceof Map<?, ?> document)) {
                continue; // a managed policy by name (AWSLambdaVPCAccessExecutionRole)
            }
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                List<String> actions = list(statement.get("Action"));
                if (actions.stream().noneMatch(a -> a.startsWith("dynamodb:"))) {
                    continue;
                }
                assertEquals("Allow", statement.get("Effect"));
                List<String> named = new ArrayList<>();
                for (String resource : list(statement.get("Resource"))) {
                    named.add(switch (resource) {
                        case "IntegrationTable.Arn" -> "table";
                        case "${IntegrationTable.Arn}/index/gsi1" -> "index/gsi1";
                        default -> throw new AssertionError(statement.get("Sid") + " grants DynamoDB on " + resource);
                    });
                }
                List<String> leadingKeys = List.of();
                Map<String, Object> condition = (Map<String, Object>) statement.get("Condition");
                if (condition != null) {
                    assertEquals(Set.of("ForAllValues:StringLike"), condition.keySet(), statement.get("Sid") + "'s condition");
                    Map<String, Object> like = (Map<String, Object>) condition.get("ForAllValues:StringLike");
                    assertEquals(Set.of("dynamodb:LeadingKeys"), like.keySet());
                    leadingKeys = list(like.get("dynamodb:LeadingKeys"));
                }
                grants.add(new Grant((String) statement.get("Sid"), actions, named, leadingKeys));
            }
        }
        return grants;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object value) {
        return value instanceof List<?> l ? (List<String>) l : List.of((String) value);
    }

    /** IAM's StringLike for the patterns used here: a literal prefix and a trailing '*'. */
    private static boolean matches(String glob, String value) {
        return glob.endsWith("*") ? value.startsWith(glob.substring(0, glob.length() - 1)) : glob.equals(value);
    }

    /** The dynamodb:LeadingKeys patterns of the DispatcherFunction's policy in template.yaml, in the order it lists them. */
    static List<String> leadingKeysOfTheDispatcher() {
        List<String> patterns = integrationTableGrants("DispatcherFunction").stream()
                .flatMap(grant -> grant.leadingKeys().stream()).distinct().toList();
        assertFalse(patterns.isEmpty(), "the dispatcher's policy has a dynamodb:LeadingKeys condition");
        return patterns;
    }
}
