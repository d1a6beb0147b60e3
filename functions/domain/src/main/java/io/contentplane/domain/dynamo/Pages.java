package io.contentplane.domain.dynamo;

import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Page-number paging ({@code page} from 1, {@code per_page}) on DynamoDB Queries, bounded: page
 * {@code p} starts {@code (p - 1) * per_page} items into the list; those earlier items are stepped
 * over with Queries projected to the keys ({@code Limit} = what is left to skip), then the page is
 * read with {@code Limit} = {@code per_page} from the last key stepped over
 * ({@code ExclusiveStartKey}). A page may start at most {@value #MAX_OFFSET} items into its list,
 * so no list request reads more than {@value #MAX_OFFSET} keys plus one page of items; a deeper
 * page is refused ({@link PageOutOfReachException}) before anything is read.
 */
public final class Pages {
    /** The most items a page may start after. */
    public static final int MAX_OFFSET = 1000;

    private Pages() {
    }

    /** How a list is queried: its key condition, read through a table or an index. */
    public record Source<T>(Function<QueryEnhancedRequest, SdkIterable<Page<T>>> items,
                            Function<QueryEnhancedRequest, SdkIterable<Page<ItemKeys>>> keys,
                            QueryConditional condition) {
    }

    /** Refuses a page that starts deeper than {@link #MAX_OFFSET}; returns how many items come before it. */
    public static long offset(int page, int perPage) {
        long offset = (long) (page - 1) * perPage;
        if (offset > MAX_OFFSET) {
            throw new PageOutOfReachException(perPage, MAX_OFFSET / perPage + 1);
        }
        return offset;
    }

    /** Page {@code page} of {@code perPage} items, in the order of the Query. */
    public static <T> List<T> read(Source<T> source, int page, int perPage) {
        long skip = offset(page, perPage);
        Map<String, AttributeValue> start = null;
        while (skip > 0) {
            Page<ItemKeys> keys = first(source.keys().apply(request(source, start, skip).toBuilder()
                    .attributesToProject(ItemKeys.NAMES).build()));
            skip -= keys.items().size();
            start = keys.lastEvaluatedKey();
            if (start == null) {
                return List.of(); // the list ends before this page
            }
        }
        List<T> items = new ArrayList<>(perPage);
        while (items.size() < perPage) {
            Page<T> next = first(source.items().apply(request(source, start, perPage - items.size())));
            items.addAll(next.items());
            start = next.lastEvaluatedKey();
            if (start == null) {
                break;
            }
        }
        return List.copyOf(items);
    }

    private static <T> QueryEnhancedRequest request(Source<T> source, Map<String, AttributeValue> start, long limit) {
        return QueryEnhancedRequest.builder().queryConditional(source.condition()).exclusiveStartKey(start)
                .limit((int) Math.min(limit, MAX_OFFSET)).build();
    }

    /** One Query call: the first page of the iterable (the next ones are never fetched). */
    private static <T> Page<T> first(SdkIterable<Page<T>> pages) {
        Iterator<Page<T>> it = pages.iterator();
        return it.hasNext() ? it.next() : Page.create(List.of());
    }
}
