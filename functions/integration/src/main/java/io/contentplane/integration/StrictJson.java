package io.contentplane.integration;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.SerdeException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * JSON scalars read as the API documents them. Micronaut Serialization coerces on its own
 * ({@code 5} into the string "5", {@code "1"} or {@code 1.5} into the integer 1); the request
 * records name these deserializers on their fields so that a value of the wrong JSON type is a
 * validation error of that field ({@link FieldError}, placed by {@link ApexErrorShape}).
 * <p>
 * They are typed {@code Deserializer<Object>} on purpose: serde registers a {@code Deserializer<String>}
 * bean as the deserializer of every String (of every API in the local runner's shared context), but
 * leaves Object-typed ones to the fields that name them.
 */
final class StrictJson {
    private StrictJson() {
    }

    /** A field value of the wrong JSON type; serde adds the property path as the error propagates. */
    static final class FieldError extends SerdeException {
        FieldError(String message) {
            super(message);
        }
    }

    /** A JSON string, nothing else (for String fields). */
    @Singleton
    static final class Text implements Deserializer<Object> {
        @Override
        public Object deserialize(Decoder decoder, DecoderContext context, Argument<? super Object> type) throws IOException {
            Object value = decoder.decodeArbitrary();
            if (value instanceof String s) {
                return s;
            }
            throw new FieldError("must be a string");
        }
    }

    /** A JSON number with an integral value in int range ({@code 1} and {@code 1.0} alike), nothing else (for Integer fields). */
    @Singleton
    static final class WholeNumber implements Deserializer<Object> {
        private static final BigDecimal MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
        private static final BigDecimal MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

        @Override
        public Object deserialize(Decoder decoder, DecoderContext context, Argument<? super Object> type) throws IOException {
            Object value = decoder.decodeArbitrary();
            if (value instanceof Number n) {
                BigDecimal exact = n instanceof BigDecimal d ? d
                        : n instanceof BigInteger i ? new BigDecimal(i)
                        : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue())
                        : BigDecimal.valueOf(n.longValue());
                if (exact.stripTrailingZeros().scale() <= 0 && exact.compareTo(MIN) >= 0 && exact.compareTo(MAX) <= 0) {
                    return exact.intValueExact();
                }
            }
            throw new FieldError("must be an integer");
        }
    }
}
