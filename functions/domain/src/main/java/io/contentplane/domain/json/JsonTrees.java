package io.contentplane.domain.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Helpers over parsed JSON trees (Map, List, String, Number, Boolean, null). */
public final class JsonTrees {
    private JsonTrees() {
    }

    /**
     * Structural equality as JavaScript's lodash {@code isEqual} sees two parsed JSON values:
     * object key order does not matter, numbers compare by value as JavaScript's numbers (doubles)
     * do: 1 equals 1.0, and two integers beyond 2^53 that JavaScript cannot tell apart are equal, as
     * they are for Argus (a token's claims and a body may be parsed into different number types).
     */
    public static boolean deepEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!deepEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
