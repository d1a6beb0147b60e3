package io.contentplane.status;

import io.micronaut.serde.annotation.Serdeable;

/** Error body of the public API, in the operator API's shape: {@code {"type","message"}}. */
@Serdeable
public record PublicApiError(String type, String message) {
}
