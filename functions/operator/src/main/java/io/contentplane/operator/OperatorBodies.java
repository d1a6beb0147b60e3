package io.contentplane.operator;

import io.contentplane.operator.OperatorError.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of the operator API's request bodies, with express-openapi-validator's paths and
 * messages so Argus clients see familiar errors. Unknown fields are refused, not ignored.
 */
final class OperatorBodies {
    /** Argus's bucket id: {@code familyId:index}. */
    private static final Pattern BUCKET_ID = Pattern.compile("^[0-9]{1,20}:[0-9]{1,20}$");
    static final int MAX_BUCKETS = 5_000;
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private OperatorBodies() {
    }

    /** Bodies of stop-api, start-api, shutdown and boot: nothing, or an empty object. */
    static void requireEmpty(Object body) throws OperatorRequestException {
        Map<?, ?> map = object(body);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(map, Set.of(), errors);
        fail(errors);
    }

    /** {@code {"workerId": <integer >= 0>}}, required. */
    static long workerId(Object body) throws OperatorRequestException {
        Map<?, ?> map = object(body);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(map, Set.of("workerId"), errors);
        Long worker = null;
        if (!map.containsKey("workerId")) {
            errors.add(new FieldError(".body.workerId", "must have required property 'workerId'", "required.openapi.validation"));
        } else {
            Object value = map.get("workerId");
            BigInteger n = integer(value);
            if (n == null) {
                errors.add(new FieldError(".body.workerId", "must be integer", "type.openapi.validation"));
            } else if (n.signum() < 0) {
                errors.add(new FieldError(".body.workerId", "must be >= 0", "minimum.openapi.validation"));
            } else if (n.compareTo(LONG_MAX) > 0) {
                errors.add(new FieldError(".body.workerId", "must be <= " + Long.MAX_VALUE, "maximum.openapi.validation"));
            } else {
                worker = n.longValue();
            }
        }
        fail(errors);
        return worker;
    }

    /**
     * {@code {"buckets": [...]}}: non-negative integers or {@code familyId:index} strings (not mixed),
     * at least one, no duplicates; absent means "all buckets of the worker" (null).
     */
    @Nullable
    static List<Object> buckets(Object body) throws OperatorRequestException {
        Map<?, ?> map = object(body);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(map, Set.of("buckets"), errors);
        if (!map.containsKey("buckets")) {
            fail(errors);
            return null;
        }
        if (!(map.get("buckets") instanceof List<?> items)) {
            errors.add(new FieldError(".body.buckets", "must be array", "type.openapi.validation"));
            fail(errors);
            return null;
        }
        if (items.isEmpty()) {
            errors.add(new FieldError(".body.buckets", "must NOT have fewer than 1 items", "minItems.openapi.validation"));
        }
        if (items.size() > MAX_BUCKETS) {
            errors.add(new FieldError(".body.buckets", "must NOT have more than " + MAX_BUCKETS + " items", "maxItems.openapi.validation"));
            fail(errors);
        }
        List<Object> result = new ArrayList<>(items.size());
        Set<Object> seen = new HashSet<>();
        boolean strings = !items.isEmpty() && items.get(0) instanceof String;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String path = ".body.buckets[" + i + "]";
            Object normalized;
            if (strings) {
                if (!(item instanceof String s)) {
                    errors.add(new FieldError(path, "must be string (bucket ids must not mix integers and strings)", "type.openapi.validation"));
                    continue;
                }
                if (!BUCKET_ID.matcher(s).matches()) {
                    errors.add(new FieldError(path, "must match pattern \"^[0-9]+:[0-9]+$\"", "pattern.openapi.validation"));
                    continue;
                }
                normalized = s;
            } else {
                BigInteger n = integer(item);
                if (n == null) {
                    errors.add(new FieldError(path, item instanceof String
                            ? "must be integer (bucket ids must not mix integers and strings)"
                            : "must be integer or string \"familyId:index\"", "type.openapi.validation"));
                    continue;
                }
                if (n.signum() < 0) {
                    errors.add(new FieldError(path, "must be >= 0", "minimum.openapi.validation"));
                    continue;
                }
                if (n.compareTo(LONG_MAX) > 0) {
                    errors.add(new FieldError(path, "must be <= " + Long.MAX_VALUE, "maximum.openapi.validation"));
                    continue;
                }
                normalized = n.longValue();
            }
            if (!seen.add(normalized)) {
                errors.add(new FieldError(".body.buckets", "must NOT have duplicate items (item " + i + " repeats an earlier one)", "uniqueItems.openapi.validation"));
                continue;
            }
            result.add(normalized);
        }
        fail(errors);
        return result;
    }

    private static Map<?, ?> object(Object body) throws OperatorRequestException {
        if (body instanceof Map<?, ?> map) {
            return map;
        }
        throw new OperatorRequestException(HttpStatus.BAD_REQUEST, OperatorError.fields(
                List.of(new FieldError(".body", "must be object", "type.openapi.validation"))));
    }

    private static void unknownFields(Map<?, ?> map, Set<String> allowed, List<FieldError> errors) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                errors.add(new FieldError(".body." + key, "must NOT have additional properties", "additionalProperties.openapi.validation"));
            }
        }
    }

    /** A JSON integer (1 and 1.0 alike, as JavaScript sees them), or null for anything else. */
    @Nullable
    private static BigInteger integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
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
            double v = ((Number) value).doubleValue();
            if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 0x1p63) {
                return BigDecimal.valueOf(v).toBigIntegerExact();
            }
        }
        return null;
    }

    private static void fail(List<FieldError> errors) throws OperatorRequestException {
        if (!errors.isEmpty()) {
            throw new OperatorRequestException(HttpStatus.BAD_REQUEST, OperatorError.fields(errors));
        }
    }
}
