package io.contentplane.operator.body;

import java.util.Map;

/** A body record that collects the fields it does not declare, so that {@link NoAdditionalProperties} can refuse them. */
public interface AdditionalProperties {

    /** The fields of the body the record does not declare, by name. */
    Map<String, Object> additional();
}
