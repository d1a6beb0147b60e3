package io.contentplane.domain.node;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.LocalDateTime;
import java.util.List;

/**
 * The parameter table. Every change is one conditional UPDATE: the WHERE clause carries the
 * expected state, so of two racing writers exactly one changes the row and the other gets 0.
 * Plain SQL that runs unchanged on H2 and PostgreSQL.
 */
// Only in functions that ship the JDBC stack (micronaut-data-jdbc, Hikari; the distributions jar does not).
@Requires(classes = JdbcOperations.class)
@JdbcRepository(dialect = Dialect.ANSI)
public interface NodeParameterRepository extends GenericRepository<NodeParameter, NodeParameter.Key> {

    @Query("SELECT node_id, param_name, param_value, version, updated_at FROM node_parameter WHERE node_id = :nodeId")
    List<NodeParameter> findAllOfNode(String nodeId);

    @Query("SELECT param_value FROM node_parameter WHERE node_id = :nodeId AND param_name = :name")
    List<String> findValue(String nodeId, String name);

    /** Inserts the parameter unless the node already has it; the primary key settles races. */
    @Query("""
            INSERT INTO node_parameter (node_id, param_name, param_value, version, updated_at)
            SELECT CAST(:nodeId AS VARCHAR(64)), CAST(:name AS VARCHAR(64)), CAST(:value AS VARCHAR(200000)), 1,
                   CAST(:now AS TIMESTAMP)
            WHERE NOT EXISTS (SELECT 1 FROM node_parameter WHERE node_id = :nodeId AND param_name = :name)""")
    int insertIfAbsent(String nodeId, String name, @Nullable String value, LocalDateTime now);

    /** Sets a value whatever it was (worker, buckets, secret); each call is one version. */
    @Query("""
            UPDATE node_parameter SET param_value = :value, version = version + 1, updated_at = :now
            WHERE node_id = :nodeId AND param_name = :name""")
    int set(String nodeId, String name, @Nullable String value, LocalDateTime now);

    /**
     * Sets {@code name} to {@code value} only when it holds another value: 0 rows when the node does
     * not exist or the value is already set (a repeated set changes nothing and emits no event).
     */
    @Query("""
            UPDATE node_parameter SET param_value = :value, version = version + 1, updated_at = :now
            WHERE node_id = :nodeId AND param_name = :name AND param_value IS DISTINCT FROM :value""")
    int change(String nodeId, String name, @Nullable String value, LocalDateTime now);

    /**
     * Moves {@code name} from {@code expected} to {@code value}, only while the node's lifecycle is
     * {@code lifecycle} (api_state transitions need a running node).
     */
    @Query("""
            UPDATE node_parameter SET param_value = :value, version = version + 1, updated_at = :now
            WHERE node_id = :nodeId AND param_name = :name AND param_value = :expected
              AND EXISTS (SELECT 1 FROM node_parameter l
                          WHERE l.node_id = :nodeId AND l.param_name = 'lifecycle' AND l.param_value = :lifecycle)""")
    int transitionWhileLifecycle(String nodeId, String name, String expected, String value,
                                 String lifecycle, LocalDateTime now);

    /** Moves {@code name} from {@code expected} to {@code value}. */
    @Query("""
            UPDATE node_parameter SET param_value = :value, version = version + 1, updated_at = :now
            WHERE node_id = :nodeId AND param_name = :name AND param_value = :expected""")
    int transition(String nodeId, String name, String expected, String value, LocalDateTime now);

    /** Moves {@code name} from {@code expected} to {@code value} if it last changed at or before {@code changedBefore}. */
    @Query("""
            UPDATE node_parameter SET param_value = :value, version = version + 1, updated_at = :now
            WHERE node_id = :nodeId AND param_name = :name AND param_value = :expected AND updated_at <= :changedBefore""")
    int transitionIfUnchangedSince(String nodeId, String name, String expected, String value,
                                   LocalDateTime changedBefore, LocalDateTime now);
}
