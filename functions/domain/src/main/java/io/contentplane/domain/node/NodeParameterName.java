package io.contentplane.domain.node;

/** Names of the rows the parameter table holds for each node. */
public final class NodeParameterName {
    public static final String API_STATE = "api_state";
    /** Its {@code updated_at} is the moment of the last boot (or shutdown). */
    public static final String LIFECYCLE = "lifecycle";
    /** Non-negative integer as text; NULL: no worker. */
    public static final String WORKER_ID = "worker_id";
    /** JSON array exactly as the operator sent it; NULL: all buckets of the worker. */
    public static final String BUCKETS = "buckets";
    /**
     * The data plane's last report ({@link DataPlane} as JSON); no row: never reported. Its
     * {@code updated_at} is when it was reported.
     */
    public static final String DATA_PLANE = "data_plane";
    /** The node's operator HMAC secret, encrypted (see {@code SecretCipher}). */
    public static final String OPERATOR_SECRET = "operator_secret";

    private NodeParameterName() {
    }
}
