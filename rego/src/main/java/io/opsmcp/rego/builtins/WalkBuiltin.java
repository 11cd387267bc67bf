package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** walk(x): emits [path, value] for x and every nested value, depth first, as OPA's {@code walk.go}. */
final class WalkBuiltin {
    private WalkBuiltin() {}

    static List<Builtin> all() {
        return List.of(new Builtin("walk", args(Type.ANY), Type.ANY_ARRAY, false, (BuiltinFunction.Relation)
                (a, c, out) -> walk(new ArrayList<>(), a.get(0), out)));
    }

    private static void walk(List<Value> path, Value v, Consumer<Value> out) {
        out.accept(ArrayValue.of(ArrayValue.of(path), v));
        if (v instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                descend(path, NumberValue.of(i), a.get(i), out);
            }
        } else if (v instanceof ObjectValue o) {
            for (Value k : o.keys()) {
                descend(path, k, o.get(k), out);
            }
        } else if (v instanceof SetValue s) {
            for (Value e : s.elements()) {
                descend(path, e, e, out);
            }
        }
    }

    private static void descend(List<Value> path, Value key, Value child, Consumer<Value> out) {
        path.add(key);
        walk(path, child, out);
        path.remove(path.size() - 1);
    }
}
