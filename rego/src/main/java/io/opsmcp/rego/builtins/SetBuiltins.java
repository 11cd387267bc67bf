package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** intersection and union of a set of sets, as OPA's {@code sets.go}. */
final class SetBuiltins {
    private SetBuiltins() {}

    private static final Type SET_OF_SETS = Type.set(Type.ANY_SET);

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("intersection", args(SET_OF_SETS), Type.ANY_SET, (a, c) -> combine(a, true)),
                Builtin.simple("union", args(SET_OF_SETS), Type.ANY_SET, (a, c) -> combine(a, false)));
    }

    private static Value combine(List<Value> args, boolean intersect) {
        SetValue outer = Operands.set(args, 0);
        Set<Value> acc = null;
        for (Value e : outer.elements()) {
            if (!(e instanceof SetValue s)) {
                throw Operands.element(0, outer, e, "set");
            }
            if (acc == null) {
                acc = new HashSet<>(s.elements());
            } else if (intersect) {
                acc.retainAll(new HashSet<>(s.elements()));
            } else {
                acc.addAll(s.elements());
            }
        }
        return acc == null ? SetValue.EMPTY : SetValue.of(acc);
    }
}
