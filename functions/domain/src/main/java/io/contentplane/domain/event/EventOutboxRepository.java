package io.contentplane.domain.event;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.LocalDateTime;
import java.util.List;

/** The relational outbox: written with each control-state change, drained in order by the dispatcher. */
// Only in functions that ship the JDBC stack (micronaut-data-jdbc, Hikari; the distributions jar does not).
@Requires(classes = JdbcOperations.class)
@JdbcRepository(dialect = Dialect.ANSI)
public interface EventOutboxRepository extends GenericRepository<OutboxEvent, Long> {

    @Query("""
            INSERT INTO event_outbox (event_id, node_id, event_type, payload, occurred_at)
            VALUES (:eventId, :nodeId, :eventType, :payload, :occurredAt)""")
    int append(String eventId, String nodeId, String eventType, String payload, LocalDateTime occurredAt);

    @Query("""
            SELECT seq, event_id, node_id, event_type, payload, occurred_at, relayed_at FROM event_outbox
            WHERE relayed_at IS NULL ORDER BY seq FETCH FIRST :limit ROWS ONLY""")
    List<OutboxEvent> pending(int limit);

    /** The nodes with events waiting, the one waiting longest first (the relay takes a share of each). */
    @Query("""
            SELECT node_id FROM event_outbox WHERE relayed_at IS NULL
            GROUP BY node_id ORDER BY MIN(seq) FETCH FIRST :limit ROWS ONLY""")
    List<String> pendingNodes(int limit);

    @Query("""
            SELECT seq, event_id, node_id, event_type, payload, occurred_at, relayed_at FROM event_outbox
            WHERE relayed_at IS NULL AND node_id = :nodeId ORDER BY seq FETCH FIRST :limit ROWS ONLY""")
    List<OutboxEvent> pendingOfNode(String nodeId, int limit);

    @Query("UPDATE event_outbox SET relayed_at = :now WHERE event_id = :eventId AND relayed_at IS NULL")
    int markRelayed(String eventId, LocalDateTime now);

    @Query("SELECT seq, event_id, node_id, event_type, payload, occurred_at, relayed_at FROM event_outbox WHERE node_id = :nodeId ORDER BY seq")
    List<OutboxEvent> ofNode(String nodeId);
}
