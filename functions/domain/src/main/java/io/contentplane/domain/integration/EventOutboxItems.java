package io.contentplane.domain.integration;

import io.contentplane.domain.dynamo.IntegrationTable;
import io.contentplane.domain.dynamo.Items;
import io.contentplane.domain.event.NodeEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

/**
 * The DynamoDB outbox: an event item written in the same transaction as the change it describes,
 * listed on the {@code gsi1} partition {@code OUTBOX} in time order until the dispatcher relays it.
 */
public final class EventOutboxItems {
    public static final String PARTITION = "OUTBOX";

    private EventOutboxItems() {
    }

    static Map<String, AttributeValue> item(NodeEvent event, String payload) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key("EVENT#" + event.id(), "EVENT"));
        item.put("event_id", Items.s(event.id()));
        item.put("event_type", Items.s(event.type()));
        item.put("node_id", Items.s(event.nodeId()));
        item.put("occurred_at", Items.s(event.occurredAt().toString()));
        item.put("payload", Items.s(payload));
        item.put(IntegrationTable.GSI1_PK, Items.s(PARTITION));
        item.put(IntegrationTable.GSI1_SK, Items.s(event.occurredAt() + "#" + event.id()));
        return item;
    }
}
