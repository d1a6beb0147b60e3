package io.contentplane.distributions;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.validation.validator.Validator;
import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.groups.Default;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a Buddy request body becomes a record ({@link DistributionRequests}, {@link RouteRequests}):
 * at most 64 kB (else 413) of one JSON object (else 400); then every field is checked against the
 * record it fills - names the record does not declare are refused ("x is not a known field") and a
 * value of another JSON type than the component's is refused with the component's rule, as the
 * records' serde would otherwise coerce it (5 to "5", "1" to 1); then serde reads it and jakarta
 * validation checks the values. A create body is validated here, with every problem reported at
 * once, in the order the record declares its fields (unknown fields first); a PATCH body
 * ({@link Changes}) is validated once laid over the stored resource. The reader takes the records
 * of this API only ({@code T extends Body}), before Micronaut's JSON reader.
 */
@Singleton
@Consumes(MediaType.APPLICATION_JSON)
final class BuddyBodies<T extends BuddyBodies.Body> implements MessageBodyReader<T> {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String UNKNOWN = "is not a known field";

    /** The records of request bodies. */
    interface Body {
    }

    /** Validation group of constraints that apply to a create body only. */
    interface Create {
    }

    /** Validation group of constraints that apply to a PATCH laid over the stored resource only. */
    interface Update {
    }

    /** A PATCH body: the fields it gives ({@link #gives}) replace the stored ones, the others stay. */
    record Changes<B>(B body, Set<String> given) implements Body {
        boolean gives(String field) {
            return given.contains(field);
        }
    }

    private final JsonMapper json;
    /** Created on the first body that is validated: reads (the cold start's request) never need it. */
    private final BeanProvider<Validator> validator;

    BuddyBodies(JsonMapper json, BeanProvider<Validator> validator) {
        this.json = json;
        this.validator = validator;
    }

    @Override
    public boolean isReadable(Argument<T> type, MediaType mediaType) {
        return Body.class.isAssignableFrom(type.getType());
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public T read(Argument<T> type, MediaType mediaType, Headers headers, InputStream input) throws CodecException {
        JsonNode tree = tree(input);
        boolean patch = Changes.class.equals(type.getType());
        Argument<?> record = patch ? type.getTypeParameters()[0] : type;
        List<String> unknown = new ArrayList<>();
        List<String> wrongTypes = new ArrayList<>();
        check(tree, record, null, "", unknown, wrongTypes);
        if (!wrongTypes.isEmpty() || (patch && !unknown.isEmpty())) {
            unknown.addAll(wrongTypes);
            throw DistributionsException.validation(unknown);
        }
        Object body;
        try {
            body = json.readValueFromTree(tree, record);
        } catch (IOException e) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body is not valid JSON");
        }
        if (patch) {
            Set<String> given = new HashSet<>();
            tree.entries().forEach(e -> given.add(e.getKey()));
            return (T) new Changes(body, Set.copyOf(given));
        }
        List<String> problems = new ArrayList<>(unknown);
        problems.addAll(violations(body, Create.class));
        if (!problems.isEmpty()) {
            throw DistributionsException.validation(problems);
        }
        return (T) body;
    }

    /** Validates a body (a PATCH laid over the stored resource: group {@link Update}); 400 with every problem. */
    <B> B valid(B body, Class<?> group) {
        List<String> problems = violations(body, group);
        if (!problems.isEmpty()) {
            throw DistributionsException.validation(problems);
        }
        return body;
    }

    private JsonNode tree(InputStream input) {
        byte[] bytes;
        try {
            bytes = input.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body could not be read");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw DistributionsException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode tree;
        try {
            tree = json.readValue(bytes, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw DistributionsException.of(HttpStatus.BAD_REQUEST, "Request body must be a JSON object");
        }
        return tree;
    }

    /**
     * Checks that {@code node} has the JSON type {@code type} reads, recursively; {@code rule} is
     * the component's annotations, whose first rule names what is wanted of a wrong scalar.
     */
    private static void check(JsonNode node, Argument<?> type, AnnotationMetadata rule, String path,
                              List<String> unknown, List<String> wrongTypes) {
        if (node.isNull()) {
            return; // nullability is a constraint of the component
        }
        Class<?> c = type.getType();
        if (c == String.class) {
            expect(node.isString(), rule, "must be a string", path, wrongTypes);
        } else if (c == Boolean.class || c == boolean.class) {
            expect(node.isBoolean(), rule, "must be true or false", path, wrongTypes);
        } else if (c == Long.class || c == long.class || c == Integer.class || c == int.class) {
            expect(node.isNumber() && isWholeLong(node.getNumberValue()), rule, "must be an integer", path, wrongTypes);
        } else if (List.class.isAssignableFrom(c)) {
            if (expect(node.isArray(), null, "must be an array", path, wrongTypes)) {
                Argument<?> element = type.getTypeParameters()[0];
                int i = 0;
                for (JsonNode value : node.values()) {
                    String at = path + "[" + i++ + "]";
                    if (expect(!value.isNull(), null, objectOrValue(element), at, wrongTypes)) {
                        check(value, element, null, at, unknown, wrongTypes);
                    }
                }
            }
        } else if (Map.class.isAssignableFrom(c)) {
            if (expect(node.isObject(), null, "must be an object", path, wrongTypes)) {
                Argument<?> value = type.getTypeParameters()[1];
                for (Map.Entry<String, JsonNode> e : node.entries()) {
                    String at = path + "." + e.getKey();
                    if (expect(!e.getValue().isNull(), null, objectOrValue(value), at, wrongTypes)) {
                        check(e.getValue(), value, null, at, unknown, wrongTypes);
                    }
                }
            }
        } else if (expect(node.isObject(), null, "must be an object", path, wrongTypes)) {
            BeanIntrospection<?> record = BeanIntrospector.SHARED.getIntrospection(c);
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                BeanProperty<?, ?> property = property(record, e.getKey());
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (property == null) {
                    unknown.add(at + " " + UNKNOWN);
                } else {
                    check(e.getValue(), property.asArgument(), property.getAnnotationMetadata(), at, unknown, wrongTypes);
                }
            }
        }
    }

    private static boolean expect(boolean fits, AnnotationMetadata rule, String otherwise, String path, List<String> wrongTypes) {
        if (!fits) {
            wrongTypes.add(message(path, rule == null ? otherwise : ruleMessage(rule, otherwise)));
        }
        return fits;
    }

    private static String objectOrValue(Argument<?> type) {
        Class<?> c = type.getType();
        return c == String.class ? "must be a string" : "must be an object";
    }

    /** The message of the component's first constraint on its value (not on its presence). */
    private static String ruleMessage(AnnotationMetadata annotations, String otherwise) {
        for (String constraint : annotations.getAnnotationNamesByStereotype(Constraint.class)) {
            if (!constraint.equals(NotNull.class.getName()) && !constraint.equals(Null.class.getName())) {
                // constraints are stored as repeatable values
                return annotations.getAnnotationValuesByName(constraint).stream().findFirst()
                        .flatMap(value -> value.stringValue("message"))
                        .or(() -> annotations.stringValue(constraint, "message")).orElse(otherwise);
            }
        }
        return otherwise;
    }

    private static BeanProperty<?, ?> property(BeanIntrospection<?> record, String jsonName) {
        for (BeanProperty<?, ?> property : record.getBeanProperties()) {
            if (snake(property.getName()).equals(jsonName)) {
                return property;
            }
        }
        return null;
    }

    /** The JSON name of a component, as the records' {@code SnakeCaseStrategy} writes it: projectName is project_name. */
    static String snake(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                snake.append('_').append(Character.toLowerCase(ch));
            } else {
                snake.append(ch);
            }
        }
        return snake.toString();
    }

    /** JSON integers, 1 and 1.0 alike (as JavaScript sees them), within a long. */
    private static boolean isWholeLong(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return true;
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64;
        }
        BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        try {
            d.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** Every violated constraint of {@code body} as Buddy words it, in the order the records declare the fields. */
    private List<String> violations(Object body, Class<?> group) {
        Set<? extends ConstraintViolation<?>> violations = validator.get().validate(body, Default.class, group);
        // a field refused as unknown (a tunnel of an EXTERNAL target) is not checked further
        List<String> unknown = violations.stream().filter(v -> v.getMessage().equals(UNKNOWN))
                .map(v -> path(v.getPropertyPath()) + ".").toList();
        return violations.stream()
                .filter(v -> unknown.stream().noneMatch(u -> path(v.getPropertyPath()).startsWith(u)))
                .map(v -> new Ordered(order(body, v.getPropertyPath()), message(path(v.getPropertyPath()), v.getMessage())))
                .sorted(Comparator.comparing(Ordered::order, BuddyBodies::compare))
                .map(Ordered::message)
                .toList();
    }

    private record Ordered(List<Integer> order, String message) {
    }

    static String message(String path, String message) {
        return path.isEmpty() ? message : path + " " + message;
    }

    /** A field's path as the client wrote it: properties joined with '.', list positions [i], map keys .key. */
    static String path(Path propertyPath) {
        StringBuilder path = new StringBuilder();
        for (Path.Node node : propertyPath) {
            if (node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                path.append('.').append(node.getKey());
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                // record components in JSON's snake case; names that are not components (a missing map key) as they are
                path.append(Character.isLowerCase(node.getName().charAt(0)) ? snake(node.getName()) : node.getName());
            }
        }
        return path.toString();
    }

    /**
     * Where a violation's field sits in the body: per level, the component's position in its record,
     * the element's position in its list or the key's in its object (the end for names that are
     * not there, such as a missing {@code Default}); a whole record's own rules come after its fields.
     */
    private static List<Integer> order(Object body, Path propertyPath) {
        List<Integer> order = new ArrayList<>();
        Object current = body;
        for (Path.Node node : propertyPath) {
            if (node.getIndex() != null && current instanceof List<?> list) {
                order.add(node.getIndex());
                current = node.getIndex() < list.size() ? list.get(node.getIndex()) : null;
            } else if (node.getKey() != null && current instanceof Map<?, ?> map) {
                order.add(position(map.keySet(), node.getKey()));
                current = map.get(node.getKey());
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                if (current instanceof Map<?, ?> map) {
                    order.add(position(map.keySet(), node.getName()));
                    current = map.get(node.getName());
                } else if (current != null) {
                    @SuppressWarnings("unchecked")
                    BeanIntrospection<Object> record = BeanIntrospector.SHARED.getIntrospection((Class<Object>) current.getClass());
                    List<String> names = record.getBeanProperties().stream().map(BeanProperty::getName).toList();
                    order.add(names.indexOf(node.getName()));
                    BeanProperty<Object, Object> property = record.getProperty(node.getName(), Object.class).orElse(null);
                    current = property == null ? null : property.get(current);
                } else {
                    order.add(Integer.MAX_VALUE);
                }
            }
        }
        order.add(Integer.MAX_VALUE);
        return order;
    }

    private static int position(Collection<?> keys, Object key) {
        int i = 0;
        for (Iterator<?> it = keys.iterator(); it.hasNext(); i++) {
            if (it.next().equals(key)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
