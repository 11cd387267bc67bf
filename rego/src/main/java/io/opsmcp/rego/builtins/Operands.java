package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Operand checks shared by the built-in families, raising OPA's exact operand errors (from
 * {@code v1/topdown/builtins/builtins.go}): "operand 1 must be string but got number", "operand 2
 * must be one of {set, array} but got object", "operand 1 must be array of strings but got array
 * containing number", "operand 3 must be integer number but got floating-point number".
 */
final class Operands {
    private Operands() {}

    static String string(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw BuiltinTypeError.operand(index + 1, "string", v);
    }

    static NumberValue number(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof NumberValue n) {
            return n;
        }
        throw BuiltinTypeError.operand(index + 1, "number", v);
    }

    static ArrayValue array(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof ArrayValue a) {
            return a;
        }
        throw BuiltinTypeError.operand(index + 1, "array", v);
    }

    static ObjectValue object(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof ObjectValue o) {
            return o;
        }
        throw BuiltinTypeError.operand(index + 1, "object", v);
    }

    static SetValue set(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof SetValue s) {
            return s;
        }
        throw BuiltinTypeError.operand(index + 1, "set", v);
    }

    static boolean bool(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof BooleanValue b) {
            return b.value();
        }
        throw BuiltinTypeError.operand(index + 1, "boolean", v);
    }

    /** OPA's IntOperand: a number that is an integer fitting Go's int (64 bits). */
    static long integer(List<Value> args, int index) {
        Value v = args.get(index);
        if (!(v instanceof NumberValue n)) {
            throw BuiltinTypeError.operand(index + 1, "number", v);
        }
        var l = n.asLong();
        if (l.isEmpty()) {
            throw new BuiltinTypeError(
                    "operand " + (index + 1) + " must be integer number but got floating-point number");
        }
        return l.getAsLong();
    }

    /** OPA's BigIntOperand: any integral number. */
    static BigInteger bigInteger(List<Value> args, int index) {
        Value v = args.get(index);
        if (!(v instanceof NumberValue n)) {
            throw BuiltinTypeError.operand(index + 1, "integer", v);
        }
        if (!n.isInteger()) {
            throw new BuiltinTypeError(
                    "operand " + (index + 1) + " must be integer number but got floating-point number");
        }
        return n.bigDecimal().toBigIntegerExact();
    }

    /** "operand N must be one of {a, b} but got T". */
    static BuiltinTypeError oneOf(int index, Value got, String... expected) {
        return new BuiltinTypeError("operand " + (index + 1) + " must be one of {" + String.join(", ", expected)
                + "} but got " + got.typeName());
    }

    /** "operand N must be array of strings but got array containing number". */
    static BuiltinTypeError element(int index, Value composite, Value got, String expected) {
        String tpe = composite.typeName();
        return new BuiltinTypeError("operand " + (index + 1) + " must be " + tpe + " of " + expected + "s but got "
                + tpe + " containing " + got.typeName());
    }

    /** Elements of an array or set (sets in sort order), or null when the value is neither. */
    static Collection<Value> elementsOf(Value v) {
        if (v instanceof ArrayValue a) {
            return a.elements();
        }
        if (v instanceof SetValue s) {
            return s.elements();
        }
        return null;
    }

    /** OPA's StringSliceOperand over an array or set. */
    static List<String> strings(List<Value> args, int index) {
        Value v = args.get(index);
        Collection<Value> elems = elementsOf(v);
        if (elems == null) {
            throw oneOf(index, v, "array", "set");
        }
        List<String> out = new ArrayList<>(elems.size());
        for (Value e : elems) {
            if (!(e instanceof StringValue s)) {
                throw element(index, v, e, "string");
            }
            out.add(s.value());
        }
        return out;
    }

    static StringValue str(String s) {
        return StringValue.of(s);
    }

    static NumberValue num(long n) {
        return NumberValue.of(n);
    }
}
