package io.contentplane.operator.body;

import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validators of the operator bodies' constraints, with express-openapi-validator's (ajv's)
 * messages so Argus clients see familiar errors; each problem is a violation of its own, at the
 * path ajv names ({@code .body.buckets[2]}).
 */
@Factory
public class BodyConstraints {
    static final int MAX_BUCKETS = 5_000;
    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** {@link Long#MAX_VALUE} as the contract writes its maximum. */
    static final String LONG_MAX_TEXT = "9223372036854775807";
    /** Argus's bucket id: {@code familyId:index}. */
    private static final Pattern BUCKET_ID = Pattern.compile("^[0-9]{1,20}:[0-9]{1,20}$");

    @Singleton
    ConstraintValidator<NonNegativeInteger, JsonNode> nonNegativeInteger() {
        return (value, annotation, context) -> {
            if (value == null) {
                return true;
            }
            String problem = integerProblem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        };
    }

    @Singleton
    ConstraintValidator<BucketIds, JsonNode> bucketIds() {
        return (value, annotation, context) -> {
            if (value == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            if (!value.isArray()) {
                context.buildConstraintViolationWithTemplate("must be array").addConstraintViolation();
                return false;
            }
            if (value.size() == 0) {
                context.buildConstraintViolationWithTemplate("must NOT have fewer than 1 items").addConstraintViolation();
                return false;
            }
            if (value.size() > MAX_BUCKETS) {
                context.buildConstraintViolationWithTemplate("must NOT have more than " + MAX_BUCKETS + " items").addConstraintViolation();
                return false;
            }
            boolean valid = true;
            boolean strings = value.get(0).isString();
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                String problem = strings ? bucketStringProblem(item) : bucketIntegerProblem(item);
                if (problem != null) {
                    item(context, i, problem);
                    valid = false;
                } else if (!seen.add(strings ? item.getStringValue() : integer(item.getNumberValue()))) {
                    // ajv names the array, not the item, for uniqueItems
                    context.buildConstraintViolationWithTemplate("must NOT have duplicate items (item " + i
                            + " repeats an earlier one)").addConstraintViolation();
                    valid = false;
                }
            }
            return valid;
        };
    }

    @Singleton
    ConstraintValidator<NoAdditionalProperties, AdditionalProperties> noAdditionalProperties() {
        return (value, annotation, context) -> {
            if (value == null || value.additional().isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (String name : value.additional().keySet()) {
                context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                        .addPropertyNode(name).addConstraintViolation();
            }
            return false;
        };
    }

    private static void item(ConstraintValidatorContext context, int index, String message) {
        context.buildConstraintViolationWithTemplate(message)
                .addBeanNode().inIterable().atIndex(index).addConstraintViolation();
    }

    @Nullable
    private static String integerProblem(JsonNode value) {
        BigInteger n = value.isNumber() ? integer(value.getNumberValue()) : null;
        if (n == null) {
            return "must be integer";
        }
        if (n.signum() < 0) {
            return "must be >= 0";
        }
        if (n.compareTo(LONG_MAX) > 0) {
            return "must be <= " + Long.MAX_VALUE;
        }
        return null;
    }

    @Nullable
    private static String bucketStringProblem(JsonNode item) {
        if (!item.isString()) {
            return "must be string (bucket ids must not mix integers and strings)";
        }
        return BUCKET_ID.matcher(item.getStringValue()).matches() ? null : "must match pattern \"^[0-9]+:[0-9]+$\"";
    }

    @Nullable
    private static String bucketIntegerProblem(JsonNode item) {
        if (item.isString()) {
            return "must be integer (bucket ids must not mix integers and strings)";
        }
        if (!item.isNumber() || integer(item.getNumberValue()) == null) {
            return "must be integer or string \"familyId:index\"";
        }
        return integerProblem(item);
    }

    /** A JSON integer (1 and 1.0 alike, as JavaScript sees them), or null for anything else. */
    @Nullable
    static BigInteger integer(Number value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(value.longValue());
        }
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (value instanceof Double || value instanceof Float) {
            double v = value.doubleValue();
            if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 0x1p63) {
                return BigDecimal.valueOf(v).toBigIntegerExact();
            }
        }
        return null;
    }
}
