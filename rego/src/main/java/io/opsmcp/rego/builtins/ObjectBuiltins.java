package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.ANY_OBJECT;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.Value;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * object.get/keys/remove/filter/union/union_n/subset with the semantics of OPA's {@code object.go}
 * and {@code subset.go}: union merges nested objects recursively with the right side winning.
 */
final class ObjectBuiltins {
    private ObjectBuiltins() {}

    private static final Type KEYS = Type.anyOf(Type.ANY_ARRAY, ANY_OBJECT, Type.ANY_SET);

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("object.get", args(ANY_OBJECT, ANY, ANY), ANY, ObjectBuiltins::get),
                Builtin.simple(
                        "object.keys",
                        args(ANY_OBJECT),
                        Type.ANY_SET,
                        (a, c) -> SetValue.of(Operands.object(a, 0).keys())),
                Builtin.simple("object.remove", args(ANY_OBJECT, KEYS), ANY_OBJECT, ObjectBuiltins::remove),
                Builtin.simple("object.filter", args(ANY_OBJECT, KEYS), ANY_OBJECT, ObjectBuiltins::filter),
                Builtin.simple(
                        "object.union",
                        args(ANY_OBJECT, ANY_OBJECT),
                        ANY_OBJECT,
                        (a, c) -> union(Operands.object(a, 0), Operands.object(a, 1))),
                Builtin.simple("object.union_n", args(Type.array(ANY_OBJECT)), ANY_OBJECT, ObjectBuiltins::unionN),
                Builtin.simple(
                        "object.subset",
                        args(
                                Type.anyOf(ANY_OBJECT, Type.ANY_ARRAY, Type.ANY_SET),
                                Type.anyOf(ANY_OBJECT, Type.ANY_ARRAY, Type.ANY_SET)),
                        Type.BOOLEAN,
                        ObjectBuiltins::subset));
    }

    private static Value get(List<Value> args, BuiltinContext ctx) {
        ObjectValue obj = Operands.object(args, 0);
        Value key = args.get(1);
        Value dflt = args.get(2);
        if (!(key instanceof ArrayValue path)) {
            Value v = obj.get(key);
            return v != null ? v : dflt;
        }
        if (path.size() == 0) {
            return obj;
        }
        Value found = find(obj, path.elements());
        return found != null ? found : dflt;
    }

    /** OPA's Value.Find: objects by key, arrays by integer index, sets by membership. */
    static Value find(Value root, List<Value> path) {
        Value cur = root;
        for (Value k : path) {
            if (cur instanceof ObjectValue o) {
                cur = o.get(k);
            } else if (cur instanceof ArrayValue a) {
                if (!(k instanceof NumberValue n) || n.asInt().isEmpty()) {
                    return null;
                }
                int i = n.asInt().getAsInt();
                cur = i >= 0 && i < a.size() ? a.get(i) : null;
            } else if (cur instanceof SetValue s) {
                cur = s.contains(k) ? k : null;
            } else {
                return null;
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static Set<Value> keysParam(List<Value> args) {
        Value v = args.get(1);
        if (v instanceof ObjectValue o) {
            return new HashSet<>(o.keys());
        }
        Collection<Value> elems = Operands.elementsOf(v);
        if (elems == null) {
            throw Operands.oneOf(1, v, "object", "set", "array");
        }
        return new HashSet<>(elems);
    }

    private static Value remove(List<Value> args, BuiltinContext ctx) {
        ObjectValue obj = Operands.object(args, 0);
        Set<Value> drop = keysParam(args);
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Value> e : obj.unorderedEntries()) {
            if (!drop.contains(e.getKey())) {
                b.put(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    private static Value filter(List<Value> args, BuiltinContext ctx) {
        ObjectValue obj = Operands.object(args, 0);
        Set<Value> keep = keysParam(args);
        ObjectValue.Builder b = ObjectValue.builder();
        for (Value k : keep) {
            Value v = obj.get(k);
            if (v != null) {
                b.put(k, v);
            }
        }
        return b.build();
    }

    static ObjectValue union(ObjectValue a, ObjectValue b) {
        Map<Value, Value> out = new HashMap<>(a.asMap());
        for (Map.Entry<Value, Value> e : b.unorderedEntries()) {
            Value left = out.get(e.getKey());
            if (left instanceof ObjectValue lo && e.getValue() instanceof ObjectValue ro) {
                out.put(e.getKey(), union(lo, ro));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return ObjectValue.of(out);
    }

    private static Value unionN(List<Value> args, BuiltinContext ctx) {
        ArrayValue arr = Operands.array(args, 0);
        ObjectValue acc = ObjectValue.EMPTY;
        for (Value e : arr.elements()) {
            if (!(e instanceof ObjectValue o)) {
                throw Operands.element(0, arr, e, "object");
            }
            acc = union(acc, o);
        }
        return acc;
    }

    private static Value subset(List<Value> args, BuiltinContext ctx) {
        Value sup = args.get(0);
        Value sub = args.get(1);
        if (!(sup instanceof ObjectValue || sup instanceof ArrayValue || sup instanceof SetValue)) {
            throw Operands.oneOf(0, sup, "object", "set", "array");
        }
        if (!(sub instanceof ObjectValue || sub instanceof ArrayValue || sub instanceof SetValue)) {
            throw Operands.oneOf(1, sub, "object", "set", "array");
        }
        boolean sameKind = sup.getClass() == sub.getClass();
        if (!sameKind && !(sup instanceof ArrayValue && sub instanceof SetValue)) {
            throw new BuiltinTypeError("both arguments object.subset must be of the same type or array and set");
        }
        return BooleanValue.of(isSubset(sup, sub));
    }

    /**
     * OPA's object.subset ({@code topdown/subset.go}): objects recursively (nested objects, sets and
     * arrays as subsets, anything else equal), sets by membership, arrays as contiguous runs, and a
     * set in an array as OPA counts it (the array's members found in the set reach the set's size).
     */
    private static boolean isSubset(Value sup, Value sub) {
        if (sup instanceof ObjectValue so && sub instanceof ObjectValue bo) {
            for (Map.Entry<Value, Value> e : bo.unorderedEntries()) {
                Value sv = so.get(e.getKey());
                if (sv == null) {
                    return false;
                }
                boolean composite = (sv instanceof ObjectValue && e.getValue() instanceof ObjectValue)
                        || (sv instanceof SetValue && e.getValue() instanceof SetValue)
                        || (sv instanceof ArrayValue && e.getValue() instanceof ArrayValue);
                if (!sv.equals(e.getValue()) && (!composite || !isSubset(sv, e.getValue()))) {
                    return false;
                }
            }
            return true;
        }
        if (sup instanceof SetValue ss && sub instanceof SetValue bs) {
            return bs.elements().stream().allMatch(ss::contains);
        }
        if (sup instanceof ArrayValue sa && sub instanceof SetValue bs) {
            // OPA counts down once per array element found in the set (duplicates included) and answers
            // true as soon as the count is zero after an element, so an empty array is never a superset
            int unmatched = bs.size();
            for (Value v : sa.elements()) {
                if (bs.contains(v)) {
                    unmatched--;
                }
                if (unmatched == 0) {
                    return true;
                }
            }
            return false;
        }
        if (sup instanceof ArrayValue sa && sub instanceof ArrayValue ba) {
            List<Value> a = sa.elements();
            List<Value> b = ba.elements();
            if (b.isEmpty()) {
                return true;
            }
            for (int i = 0; i + b.size() <= a.size(); i++) {
                if (a.subList(i, i + b.size()).equals(b)) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }
}
