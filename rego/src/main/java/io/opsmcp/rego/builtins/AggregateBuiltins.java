package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Aggregates as in OPA's {@code v1/topdown/aggregates.go}: count, sum, product, max, min, sort,
 * all, any. Sums and products are exact (arbitrary precision), max/min/sort use OPA's total order.
 */
final class AggregateBuiltins {
    private AggregateBuiltins() {}

    private static final Type COLLECTION = Type.anyOf(Type.ANY_SET, Type.ANY_ARRAY);
    private static final Type NUMBERS = Type.anyOf(Type.set(NUMBER), Type.array(NUMBER));

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "count",
                        args(Type.anyOf(Type.ANY_SET, Type.ANY_ARRAY, Type.ANY_OBJECT, Type.STRING)),
                        NUMBER,
                        AggregateBuiltins::count),
                Builtin.simple("sum", args(NUMBERS), NUMBER, (a, c) -> accumulate(a, true)),
                Builtin.simple("product", args(NUMBERS), NUMBER, (a, c) -> accumulate(a, false)),
                Builtin.simple("max", args(COLLECTION), ANY, (a, c) -> extreme(a, true)),
                Builtin.simple("min", args(COLLECTION), ANY, (a, c) -> extreme(a, false)),
                Builtin.simple("sort", args(COLLECTION), Type.ANY_ARRAY, AggregateBuiltins::sort),
                Builtin.simple("all", args(COLLECTION), Type.BOOLEAN, (a, c) -> allAny(a, true)),
                Builtin.simple("any", args(COLLECTION), Type.BOOLEAN, (a, c) -> allAny(a, false)));
    }

    private static Value count(List<Value> args, BuiltinContext ctx) {
        Value v = args.get(0);
        if (v instanceof ArrayValue a) {
            return NumberValue.of(a.size());
        }
        if (v instanceof ObjectValue o) {
            return NumberValue.of(o.size());
        }
        if (v instanceof SetValue s) {
            return NumberValue.of(s.size());
        }
        if (v instanceof StringValue s) {
            return NumberValue.of(s.value().codePointCount(0, s.value().length()));
        }
        throw Operands.oneOf(0, v, "array", "object", "set", "string");
    }

    private static Collection<Value> collection(List<Value> args) {
        Collection<Value> elems = Operands.elementsOf(args.get(0));
        if (elems == null) {
            throw Operands.oneOf(0, args.get(0), "set", "array");
        }
        return elems;
    }

    private static Value accumulate(List<Value> args, boolean sum) {
        Collection<Value> elems = collection(args);
        BigDecimal acc = sum ? BigDecimal.ZERO : BigDecimal.ONE;
        for (Value e : elems) {
            if (!(e instanceof NumberValue n)) {
                throw Operands.element(0, args.get(0), e, "number");
            }
            acc = sum ? acc.add(n.bigDecimal()) : acc.multiply(n.bigDecimal());
        }
        return NumberValue.of(acc);
    }

    private static Value extreme(List<Value> args, boolean max) {
        Collection<Value> elems = collection(args);
        if (elems.isEmpty()) {
            return null;
        }
        return max ? Collections.max(elems) : Collections.min(elems);
    }

    private static Value sort(List<Value> args, BuiltinContext ctx) {
        List<Value> out = new ArrayList<>(collection(args));
        Collections.sort(out);
        return ArrayValue.of(out);
    }

    private static Value allAny(List<Value> args, boolean all) {
        Value v = args.get(0);
        Collection<Value> elems = Operands.elementsOf(v);
        if (elems == null) {
            throw Operands.oneOf(0, v, "array", "set");
        }
        for (Value e : elems) {
            boolean isTrue = e == BooleanValue.TRUE;
            if (all && !isTrue) {
                return BooleanValue.FALSE;
            }
            if (!all && isTrue) {
                return BooleanValue.TRUE;
            }
        }
        return BooleanValue.of(all);
    }
}
