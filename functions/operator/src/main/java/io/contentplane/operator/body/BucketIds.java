package io.contentplane.operator.body;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Argus's bucket list: an array of 1 to {@value BodyConstraints#MAX_BUCKETS} unique items, all
 * non-negative integers or all {@code familyId:index} strings. Absent passes (all buckets of the worker).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
@Constraint(validatedBy = {})
public @interface BucketIds {
    String message() default "must be array";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
