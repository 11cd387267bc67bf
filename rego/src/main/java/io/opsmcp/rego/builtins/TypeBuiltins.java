package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;
import java.util.function.Predicate;

/** type_name, the is_* checks and trace (OPA's {@code type.go}, {@code trace.go}). */
final class TypeBuiltins {
    private TypeBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "type_name",
                        args(ANY),
                        Type.STRING,
                        (a, c) -> StringValue.of(a.get(0).typeName())),
                is("is_number", v -> v instanceof NumberValue),
                is("is_string", v -> v instanceof StringValue),
                is("is_boolean", v -> v instanceof BooleanValue),
                is("is_array", v -> v instanceof ArrayValue),
                is("is_set", v -> v instanceof SetValue),
                is("is_object", v -> v instanceof ObjectValue),
                is("is_null", v -> v instanceof NullValue),
                Builtin.simple("trace", args(Type.STRING), BOOLEAN, TypeBuiltins::trace));
    }

    private static Builtin is(String name, Predicate<Value> test) {
        return Builtin.simple(name, args(ANY), BOOLEAN, (a, c) -> BooleanValue.of(test.test(a.get(0))));
    }

    /** OPA emits the note to its tracer; ops-mcp has no tracer, so notes go to the print sink. */
    private static Value trace(List<Value> args, BuiltinContext ctx) {
        ctx.print(Operands.string(args, 0));
        return BooleanValue.TRUE;
    }
}
