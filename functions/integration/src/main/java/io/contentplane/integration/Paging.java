package io.contentplane.integration;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ?page=&per_page=} of the integration API's lists, and their answer {@code {<items>, total, page, per_page}}. */
record Paging(int page, int perPage) {
    static final int MAX_PER_PAGE = 100;
    private static final int MAX_PAGE = 1_000_000;

    static Paging of(@Nullable String page, @Nullable String perPage) {
        Map<String, String> errors = new LinkedHashMap<>();
        int pageNumber = JsonBodies.pageParameter(page, "page", 1, MAX_PAGE, errors);
        int size = JsonBodies.pageParameter(perPage, "per_page", MAX_PER_PAGE, MAX_PER_PAGE, errors);
        if (!errors.isEmpty()) {
            throw IntegrationException.validation(errors);
        }
        return new Paging(pageNumber, size);
    }

    Map<String, Object> answer(String key, List<?> items, long total) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(key, items);
        answer.put("total", total);
        answer.put("page", page);
        answer.put("per_page", perPage);
        return answer;
    }
}
