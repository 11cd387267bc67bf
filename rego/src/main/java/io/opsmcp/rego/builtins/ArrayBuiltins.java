package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY_ARRAY;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** array.concat, array.slice, array.reverse and array.flatten (one level), as OPA's {@code array.go}. */
final class ArrayBuiltins {
    private ArrayBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("array.concat", args(ANY_ARRAY, ANY_ARRAY), ANY_ARRAY, ArrayBuiltins::concat),
                Builtin.simple("array.slice", args(ANY_ARRAY, NUMBER, NUMBER), ANY_ARRAY, ArrayBuiltins::slice),
                Builtin.simple("array.reverse", args(ANY_ARRAY), ANY_ARRAY, ArrayBuiltins::reverse),
                Builtin.simple("array.flatten", args(ANY_ARRAY), ANY_ARRAY, ArrayBuiltins::flatten));
    }

    private static Value concat(List<Value> args, BuiltinContext ctx) {
        ArrayValue a = Operands.array(args, 0);
        ArrayValue b = Operands.array(args, 1);
        List<Value> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a.elements());
        out.addAll(b.elements());
        return ArrayValue.of(out);
    }

    private static Value slice(List<Value> args, BuiltinContext ctx) {
        ArrayValue a = Operands.array(args, 0);
        long start = Operands.integer(args, 1);
        long stop = Operands.integer(args, 2);
        stop = Math.max(0, Math.min(stop, a.size()));
        start = Math.max(0, Math.min(start, stop));
        return ArrayValue.of(a.elements().subList((int) start, (int) stop));
    }

    private static Value reverse(List<Value> args, BuiltinContext ctx) {
        List<Value> out = new ArrayList<>(Operands.array(args, 0).elements());
        java.util.Collections.reverse(out);
        return ArrayValue.of(out);
    }

    private static Value flatten(List<Value> args, BuiltinContext ctx) {
        List<Value> out = new ArrayList<>();
        for (Value e : Operands.array(args, 0).elements()) {
            if (e instanceof ArrayValue inner) {
                out.addAll(inner.elements());
            } else {
                out.add(e);
            }
        }
        return ArrayValue.of(out);
    }
}
