-- Every node registered before the data_plane parameter existed gets its row (no report yet: NULL),
-- as registration now inserts it. The operator's report then only UPDATEs that row, so the operator
-- role needs no INSERT on node_parameter (DatabaseRoles: it could otherwise register nodes).
INSERT INTO node_parameter (node_id, param_name, param_value, version, updated_at)
SELECT p.node_id, 'data_plane', NULL, 1, CURRENT_TIMESTAMP
FROM node_parameter p
WHERE p.param_name = 'api_state'
  AND NOT EXISTS (SELECT 1 FROM node_parameter q WHERE q.node_id = p.node_id AND q.param_name = 'data_plane');
