package io.contentplane.domain.distribution;

/**
 * The workspace, distribution or route does not exist, or is not the caller's to see (never said
 * which, so that existence does not leak across workspaces).
 */
public final class ResourceNotFoundException extends RuntimeException {
    public ResourceNotFoundException(String what) {
        super(what + " not found", null, false, false);
    }
}
