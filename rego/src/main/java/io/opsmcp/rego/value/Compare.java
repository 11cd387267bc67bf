package io.opsmcp.rego.value;

import java.util.Iterator;

/** OPA's total order over values (port of {@code ast.Compare} restricted to ground terms). */
final class Compare {
    private Compare() {}

    static int compare(Value a, Value b) {
        if (a == b) {
            return 0;
        }
        int ra = a.typeRank();
        int rb = b.typeRank();
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        if (a instanceof NullValue) {
            return 0;
        }
        if (a instanceof BooleanValue x) {
            return Boolean.compare(x.value(), ((BooleanValue) b).value());
        }
        if (a instanceof NumberValue x) {
            return x.bigDecimal().compareTo(((NumberValue) b).bigDecimal());
        }
        if (a instanceof StringValue x) {
            return x.value().compareTo(((StringValue) b).value());
        }
        if (a instanceof ArrayValue x) {
            ArrayValue y = (ArrayValue) b;
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                int c = compare(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a instanceof ObjectValue x) {
            ObjectValue y = (ObjectValue) b;
            Value[] ka = x.sortedKeys();
            Value[] kb = y.sortedKeys();
            int n = Math.min(ka.length, kb.length);
            for (int i = 0; i < n; i++) {
                int c = compare(ka[i], kb[i]);
                if (c != 0) {
                    return c;
                }
                c = compare(x.get(ka[i]), y.get(kb[i]));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(ka.length, kb.length);
        }
        SetValue x = (SetValue) a;
        SetValue y = (SetValue) b;
        Iterator<Value> ia = x.elements().iterator();
        Iterator<Value> ib = y.elements().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = compare(ia.next(), ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
