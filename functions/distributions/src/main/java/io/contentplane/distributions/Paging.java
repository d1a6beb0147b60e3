package io.contentplane.distributions;

import io.contentplane.domain.dynamo.Pages;
import io.contentplane.domain.json.JsonBodyParser;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/** {@code page} (from 1) and {@code per_page} (1 to 100, default 20) of a list, from the query string. */
record Paging(int page, int perPage) {
    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 100;
    /** The largest page number parsed (an int offset); a page deeper than Pages.MAX_OFFSET is refused by the store. */
    static final int MAX_PAGE = Integer.MAX_VALUE / MAX_PER_PAGE;
    /** For the document: the deepest page any per_page reaches, and the rule relating the two. */
    static final String PAGE_MAX = "" + (Pages.MAX_OFFSET + 1);
    static final String PAGE_RULE = "at most " + Pages.MAX_OFFSET + " items before the page: (page - 1) * per_page <= "
            + Pages.MAX_OFFSET;

    static Paging of(@Nullable String page, @Nullable String perPage) {
        List<String> errors = new ArrayList<>();
        int number = parameter(page, 1, MAX_PAGE, "page must be a whole number of at least 1", errors);
        int size = parameter(perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE, "per_page must be a whole number from 1 to 100", errors);
        if (!errors.isEmpty()) {
            throw DistributionsException.validation(errors);
        }
        return new Paging(number, size);
    }

    private static int parameter(@Nullable String raw, int fallback, int max, String message, List<String> errors) {
        Integer value = JsonBodyParser.pageParameter(raw, fallback, max);
        if (value == null) {
            errors.add(message);
            return fallback;
        }
        return value;
    }
}
