package io.opsmcp.rego.eval;

import io.opsmcp.rego.builtins.BuiltinError;
import io.opsmcp.rego.builtins.BuiltinTypeError;
import io.opsmcp.rego.compiler.Operators;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator built-ins (OPA's {@code topdown/arithmetic.go}, {@code sets.go},
 * {@code comparison.go}, {@code internal.member_*}) with arbitrary-precision numbers.
 * Errors are thrown as built-in errors so the evaluator reports them as OPA does.
 */
final class Arith {
    private static final MathContext DIV = new MathContext(34);

    private Arith() {}

    /**
     * Applies the operator with {@code op} ({@link Operators#code}, not eq/assign/print) to its operands in order: an
     * array, not a list, because C1 calls every {@code List} method through an interface stub.
     */
    static Value apply(int op, Value[] a) {
        return switch (op) {
            case Operators.EQUAL -> BooleanValue.of(a[0].equals(a[1]));
            case Operators.NEQ -> BooleanValue.of(!a[0].equals(a[1]));
            case Operators.LT -> BooleanValue.of(a[0].compareTo(a[1]) < 0);
            case Operators.GT -> BooleanValue.of(a[0].compareTo(a[1]) > 0);
            case Operators.LTE -> BooleanValue.of(a[0].compareTo(a[1]) <= 0);
            case Operators.GTE -> BooleanValue.of(a[0].compareTo(a[1]) >= 0);
            case Operators.PLUS -> NumberValue.of(num(a, 0).add(num(a, 1)));
            case Operators.MUL -> NumberValue.of(num(a, 0).multiply(num(a, 1)));
            case Operators.MINUS -> minus(a);
            case Operators.DIV -> div(a);
            case Operators.REM -> rem(a);
            case Operators.OR -> union(set(a, 0), set(a, 1));
            case Operators.AND -> intersect(set(a, 0), set(a, 1));
            case Operators.MEMBER_2 -> BooleanValue.of(member2(a[0], a[1]));
            case Operators.MEMBER_3 -> BooleanValue.of(member3(a[0], a[1], a[2]));
            default -> throw new IllegalStateException("unknown operator " + op);
        };
    }

    private static BigDecimal num(Value[] a, int i) {
        if (a[i] instanceof NumberValue n) {
            return n.bigDecimal();
        }
        throw BuiltinTypeError.operand(i + 1, "number", a[i]);
    }

    private static SetValue set(Value[] a, int i) {
        if (a[i] instanceof SetValue s) {
            return s;
        }
        throw BuiltinTypeError.operand(i + 1, "set", a[i]);
    }

    private static Value minus(Value[] a) {
        if (a[0] instanceof NumberValue x && a[1] instanceof NumberValue y) {
            return NumberValue.of(x.bigDecimal().subtract(y.bigDecimal()));
        }
        if (a[0] instanceof SetValue x && a[1] instanceof SetValue y) {
            SetValue.Builder b = SetValue.builder();
            for (Value v : x.elements()) {
                if (!y.contains(v)) {
                    b.add(v);
                }
            }
            return b.build();
        }
        if (!(a[0] instanceof NumberValue) && !(a[0] instanceof SetValue)) {
            throw BuiltinTypeError.operand(1, "any<number, set>", a[0]);
        }
        throw BuiltinTypeError.operand(2, a[0] instanceof NumberValue ? "number" : "set", a[1]);
    }

    private static Value div(Value[] a) {
        BigDecimal x = num(a, 0);
        BigDecimal y = num(a, 1);
        if (y.signum() == 0) {
            throw new BuiltinError("divide by zero");
        }
        BigDecimal q;
        try {
            q = x.divide(y);
        } catch (ArithmeticException e) {
            q = x.divide(y, DIV);
        }
        return NumberValue.of(normalize(q));
    }

    private static BigDecimal normalize(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static Value rem(Value[] a) {
        BigDecimal x = num(a, 0);
        BigDecimal y = num(a, 1);
        if (!isInt(x) || !isInt(y)) {
            throw new BuiltinError("modulo on floating-point number");
        }
        if (y.signum() == 0) {
            throw new BuiltinError("modulo by zero");
        }
        return NumberValue.of(x.toBigIntegerExact().remainder(y.toBigIntegerExact()));
    }

    private static boolean isInt(BigDecimal d) {
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    static SetValue union(SetValue x, SetValue y) {
        List<Value> all = new ArrayList<>(x.elements());
        all.addAll(y.elements());
        return SetValue.of(all);
    }

    static SetValue intersect(SetValue x, SetValue y) {
        SetValue.Builder b = SetValue.builder();
        for (Value v : x.elements()) {
            if (y.contains(v)) {
                b.add(v);
            }
        }
        return b.build();
    }

    static boolean member2(Value x, Value coll) {
        if (coll instanceof SetValue s) {
            return s.contains(x);
        }
        if (coll instanceof ArrayValue arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).equals(x)) {
                    return true;
                }
            }
            return false;
        }
        if (coll instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                if (e.getValue().equals(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean member3(Value k, Value v, Value coll) {
        if (coll instanceof ArrayValue arr) {
            if (k instanceof NumberValue n && n.asInt().isPresent()) {
                int i = n.asInt().getAsInt();
                return i >= 0 && i < arr.size() && arr.get(i).equals(v);
            }
            return false;
        }
        if (coll instanceof ObjectValue o) {
            Value x = o.get(k);
            return x != null && x.equals(v);
        }
        if (coll instanceof SetValue s) {
            // a set's members are their own keys: `"a", "a" in {"a"}` (OPA's builtinMemberWithKey)
            return k.equals(v) && s.contains(k);
        }
        return false;
    }
}
