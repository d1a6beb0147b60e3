package io.contentplane.dispatcher;

import com.sun.net.httpserver.HttpServer;
import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.DistributorStore;
import io.contentplane.domain.integration.NodeRegistry;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.node.NodeControlService;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.UUID;

/**
 * What the dispatcher tests deliver: a webhook receiver on loopback that records each delivery's
 * webhook-id, and a node with a distributor pointing at it, with two events queued for it
 * (distributor.created, node.worker.changed).
 */
final class QueuedDeliveries {

    private QueuedDeliveries() {
    }

    /** A started receiver answering 204 and adding each delivery's webhook-id to {@code received}. */
    static HttpServer receiver(Set<String> received) throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return receiver;
    }

    /** Creates the integration table, a node and its distributor for {@code receiver}; queues two events. */
    static Distributor queueTwoEvents(ApplicationContext context, HttpServer receiver) {
        context.getBean(IntegrationTable.class).create(context.getBean(DynamoDbClient.class));
        String node = UUID.randomUUID().toString();
        context.getBean(NodeControlService.class).register(node, null);
        context.getBean(NodeRegistry.class).ensureApex("t", node, "node");
        Distributor distributor = context.getBean(DistributorStore.class).create("t", node,
                new WebhookMeta("http://127.0.0.1:" + receiver.getAddress().getPort(), "/hook", 2, null));
        context.getBean(NodeControlService.class).setWorker(node, 3);
        return distributor;
    }
}
