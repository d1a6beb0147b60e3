-- Node control state: one row per (node, parameter). The same SQL runs on H2 and PostgreSQL.
-- `version` grows by one on every change; every state change is a conditional UPDATE on one row.
CREATE TABLE node_parameter (
    node_id    VARCHAR(64)     NOT NULL,
    param_name  VARCHAR(64)     NOT NULL,
    param_value VARCHAR(200000),
    version     BIGINT          NOT NULL,
    updated_at TIMESTAMP       NOT NULL,
    PRIMARY KEY (node_id, param_name)
);
