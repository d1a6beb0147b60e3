package io.contentplane.integration;

import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.json.JsonBodyParser;
import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ?page=&per_page=} of the integration API's lists (each answer is {@code {<items>, total, page, per_page}}). */
record Paging(int page, int perPage) {
    /**
     * The contract's bound of {@code page}: the deepest page any {@code per_page} reaches (1 item a
     * page); a page must also start at most {@link Pages#MAX_OFFSET} items in, a rule across both
     * parameters the document states in words only (docs/contract.md).
     */
    static final String PAGE_MAX = "" + (Pages.MAX_OFFSET + 1);
    static final String PAGE_RULE = "at most " + Pages.MAX_OFFSET + " items before the page: (page - 1) * per_page <= "
            + Pages.MAX_OFFSET + ", else 400";
    static final int MAX_PER_PAGE = 100;
    private static final int MAX_PAGE = 1_000_000;

    static Paging of(@Nullable String page, @Nullable String perPage) {
        Map<String, String> errors = new LinkedHashMap<>();
        int pageNumber = parameter(page, "page", 1, MAX_PAGE, errors);
        int size = parameter(perPage, "per_page", MAX_PER_PAGE, MAX_PER_PAGE, errors);
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
        return new Paging(pageNumber, size);
    }

    /** A positive page number or size from the query string. */
    private static int parameter(@Nullable String raw, String name, int fallback, int max, Map<String, String> errors) {
        Integer value = JsonBodyParser.pageParameter(raw, fallback, max);
        if (value == null) {
            errors.put(name, "must be an integer from 1 to " + max);
            return fallback;
        }
        return value;
    }
}
