package io.contentplane.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of {@code GET /api/v1/buckets}, as Argus answers it: {@code {"bucketIds":[...]}} when buckets
 * are set (as the operator gave them: integers or {@code familyId:index} strings), else
 * {@code {"allByWorkerId":<workerId>}} when a worker is set, else {@code {"bucketIds":[]}}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeBuckets(@Nullable List<Object> bucketIds, @Nullable Long allByWorkerId) {

    public static NodeBuckets of(List<Object> bucketIds) {
        return new NodeBuckets(bucketIds, null);
    }

    public static NodeBuckets allByWorker(long workerId) {
        return new NodeBuckets(null, workerId);
    }
}
