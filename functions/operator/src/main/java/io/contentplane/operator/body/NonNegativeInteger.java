package io.contentplane.operator.body;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JSON integer from 0 to 2^63-1 ({@code 1.0} counts, as in JavaScript); anything else (a string,
 * a fraction, a boolean) is refused, not coerced. Absent passes (see {@code @NotNull}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE})
@Constraint(validatedBy = {})
public @interface NonNegativeInteger {
    String message() default "must be integer";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
