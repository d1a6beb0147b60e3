package io.contentplane.operator;

import io.micronaut.serde.annotation.Serdeable;

/** Argus's 409 body, e.g. {@code {"message":"Already stopped"}}. */
@Serdeable
public record OperatorConflict(String message) {
}
