package io.contentplane.dispatcher;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.event.EventOutboxRepository;
import io.contentplane.domain.event.EventTypes;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.testing.JdbcStatementCounter;
import io.contentplane.domain.testing.TestDatabases;
import io.contentplane.domain.testing.TestDynamo;
import io.contentplane.domain.webhook.WebhookSignature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's SnapStart priming: with events queued in both outboxes, it warms the delivery
 * code paths but relays, queues and delivers nothing.
 */
class DispatcherPrimingTest {
    static ApplicationContext context;
    static DispatcherFunction handler;
    static DynamoDbRequestCounter dynamoRequests;
    static JdbcStatementCounter jdbcStatements;

    @BeforeAll
    static void start() {
        Map<String, Object> props = TestDatabases.h2();
        props.putAll(TestDynamo.properties());
        props.put(JdbcStatementCounter.ENABLED, true);
        dynamoRequests = new DynamoDbRequestCounter();
        context = ApplicationContext.builder().properties(props).singletons(dynamoRequests).start();
        jdbcStatements = context.getBean(JdbcStatementCounter.class);
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        handler = new DispatcherFunction(context);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void primingWarmsTheDeliveryPathsAndChangesNothing() throws Exception {
        // a node with a distributor, and events about them in both outboxes
        String node = UUID.randomUUID().toString();
        context.getBean(NodeControlService.class).register(node, null);
        context.getBean(NodeRegistry.class).ensureApex("t", node, "node");
        context.getBean(DistributorStore.class).create("t", node, new WebhookMeta("https://example.com", "/hook", 2, null));
        context.getBean(NodeControlService.class).setWorker(node, 3);
        EventOutboxRepository outbox = context.getBean(EventOutboxRepository.class);
        int pending = outbox.pending(100).size();
        assertTrue(pending > 0);
        Map<String, Long> rows = TestDatabases.relationalRows(context);
        long items = items();
        dynamoRequests.reset();
        jdbcStatements.reset();

        handler.priming().beforeCheckpoint(null);

        // the redeliveries' index query (within the relay's LeadingKeys policy) and the pending outbox's query: reads only
        assertEquals(List.of("Query"), dynamoRequests.operations());
        assertEquals(List.of("SELECT"), jdbcStatements.verbs(), jdbcStatements.statements().toString());
        assertEquals(0, jdbcStatements.commits());
        // nothing relayed, queued or recorded
        assertEquals(items, items());
        assertEquals(pending, outbox.pending(100).size());
        assertEquals(rows, TestDatabases.relationalRows(context));

        DispatcherPriming.Warmup warmup = handler.priming().warmup();
        assertTrue(WebhookSignature.verify(warmup.secret(), warmup.eventId(), Long.toString(warmup.timestamp()),
                warmup.payload(), warmup.signature()), warmup.signature());
        Map<String, Object> payload = context.getBean(JsonMapper.class).readValue(warmup.payload(),
                Argument.mapOf(String.class, Object.class));
        assertEquals(warmup.eventId(), payload.get("id"));
        assertEquals(EventTypes.DISTRIBUTOR_CREATED, payload.get("type"));
        assertEquals("POST", ((Map<String, Object>) ((Map<String, Object>) payload.get("data")).get("meta")).get("method"));
        // the first retry waits half to all of the 10 s base
        assertTrue(warmup.backoff().compareTo(Duration.ofSeconds(5)) >= 0
                && warmup.backoff().compareTo(Duration.ofSeconds(10)) <= 0, warmup.backoff().toString());
    }

    @Test
    void afterRestoreClosesTheConnectionsPrimingLeftInThePool() throws Exception {
        handler.priming().beforeCheckpoint(null);
        HikariPoolMXBean pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class).getHikariPoolMXBean();
        assertTrue(pool.getIdleConnections() > 0);

        handler.priming().afterRestore(null);

        assertEquals(0, pool.getTotalConnections());
    }

    /** Every item of the test's table (the DynamoDB outbox and deliveries included), counted by a paginated Scan. */
    private static long items() {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        String table = context.getBean(IntegrationTable.class).name();
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).select(Select.COUNT).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }
}
