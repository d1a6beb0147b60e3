package io.contentplane.operator.body;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Argus's schemas set {@code additionalProperties: false}: every undeclared field is an error of its own. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Constraint(validatedBy = {})
public @interface NoAdditionalProperties {
    String message() default "must NOT have additional properties";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
