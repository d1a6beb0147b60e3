package io.contentplane.domain.dynamo;

/**
 * A list page that starts deeper into its list than {@link Pages#MAX_OFFSET}: refused (400 in each
 * API's error shape) instead of read, because reaching it would read every item before it.
 */
public final class PageOutOfReachException extends RuntimeException {
    private final int maxPage;

    PageOutOfReachException(int perPage, int maxPage) {
        super("page must be at most " + maxPage + " with per_page " + perPage + " (a page may start at most "
                + Pages.MAX_OFFSET + " items into a list)", null, false, false);
        this.maxPage = maxPage;
    }

    /** The deepest page that can be read with this per_page. */
    public int maxPage() {
        return maxPage;
    }
}
