package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * bits.and / or / xor / negate / lsh / rsh on arbitrary-size integers with two's-complement semantics, as OPA's
 * {@code v1/topdown/bits.go} does on Go's {@code big.Int}. Operands must be integral numbers ("operand 1 must be
 * integer number but got floating-point number"); a negative shift count is a type error as in OPA.
 *
 * <p>Unlike OPA, sizes are bounded so a hostile policy or input cannot exhaust memory: operands and results may
 * have at most {@value #MAX_BITS} bits; beyond that the call fails with a built-in error.
 */
final class BitsBuiltins {
    /** Largest operand or result, in bits (about 19,700 decimal digits). */
    static final int MAX_BITS = 1 << 16;

    private BitsBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                binary("bits.or", BigInteger::or),
                binary("bits.and", BigInteger::and),
                binary("bits.xor", BigInteger::xor),
                Builtin.simple(
                        "bits.negate",
                        args(NUMBER),
                        NUMBER,
                        (a, c) -> NumberValue.of(operand(a, 0).not())),
                Builtin.simple("bits.lsh", args(NUMBER, NUMBER), NUMBER, BitsBuiltins::shiftLeft),
                Builtin.simple("bits.rsh", args(NUMBER, NUMBER), NUMBER, BitsBuiltins::shiftRight));
    }

    private static Builtin binary(String name, BinaryOperator<BigInteger> op) {
        return Builtin.simple(
                name, args(NUMBER, NUMBER), NUMBER, (a, c) -> NumberValue.of(op.apply(operand(a, 0), operand(a, 1))));
    }

    private static Value shiftLeft(List<Value> a, BuiltinContext c) {
        BigInteger x = operand(a, 0);
        BigInteger s = shiftCount(a);
        if (x.signum() == 0) {
            return NumberValue.of(0);
        }
        if (s.compareTo(BigInteger.valueOf(MAX_BITS)) > 0 || x.bitLength() + s.intValueExact() > MAX_BITS) {
            throw new BuiltinError("result exceeds " + MAX_BITS + " bits");
        }
        return NumberValue.of(x.shiftLeft(s.intValueExact()));
    }

    private static Value shiftRight(List<Value> a, BuiltinContext c) {
        BigInteger x = operand(a, 0);
        BigInteger s = shiftCount(a);
        if (s.compareTo(BigInteger.valueOf(x.bitLength())) >= 0) {
            // Every bit shifted out: what remains is the sign (Go's big.Int.Rsh rounds toward negative infinity).
            return NumberValue.of(x.signum() < 0 ? -1 : 0);
        }
        return NumberValue.of(x.shiftRight(s.intValueExact()));
    }

    private static BigInteger shiftCount(List<Value> a) {
        BigInteger s = operand(a, 1);
        if (s.signum() < 0) {
            throw new BuiltinTypeError("operand 2 must be an unsigned integer number but got a negative integer");
        }
        return s;
    }

    /** OPA's BigIntOperand, refusing numbers whose integer part alone would exceed {@link #MAX_BITS}. */
    private static BigInteger operand(List<Value> args, int index) {
        Value v = args.get(index);
        if (!(v instanceof NumberValue n)) {
            throw BuiltinTypeError.operand(index + 1, "integer", v);
        }
        if (!n.isInteger()) {
            throw new BuiltinTypeError(
                    "operand " + (index + 1) + " must be integer number but got floating-point number");
        }
        var d = n.bigDecimal();
        // Decimal digits before the point; log2(10) < 3.33 bits per digit.
        long digits = (long) d.precision() - d.scale();
        if (digits * 10 / 3 > MAX_BITS) {
            throw new BuiltinError("operand " + (index + 1) + " exceeds " + MAX_BITS + " bits");
        }
        return d.toBigIntegerExact();
    }
}
