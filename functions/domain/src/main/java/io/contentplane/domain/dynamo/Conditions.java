package io.contentplane.domain.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;

/**
 * The condition expressions of the stores' conditional writes. Optimistic versions are explicit:
 * a write of the next version is conditional on the version that was read ({@link #versionIs}).
 */
public final class Conditions {
    /** The item does not exist yet: a create, or a uniqueness claim. */
    public static final Expression ABSENT = of("attribute_not_exists(pk)");
    /** The item exists. */
    public static final Expression PRESENT = of("attribute_exists(pk)");

    private Conditions() {
    }

    public static Expression of(String expression) {
        return Expression.builder().expression(expression).build();
    }

    /** An expression with one value, {@code :value}. */
    public static Expression of(String expression, AttributeValue value) {
        return Expression.builder().expression(expression).putExpressionValue(":value", value).build();
    }

    /** The item is still at the version that was read. */
    public static Expression versionIs(long version) {
        return Expression.builder().expression("version = :expected_version")
                .putExpressionValue(":expected_version", n(version)).build();
    }

    /** {@code attribute} still holds {@code value}: the item belongs to whom it belonged when read. */
    public static Expression equals(String attribute, String value) {
        return Expression.builder().expression("#owner = :owner").putExpressionName("#owner", attribute)
                .putExpressionValue(":owner", s(value)).build();
    }

    public static Expression and(Expression... expressions) {
        return Expression.and(List.of(expressions));
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
