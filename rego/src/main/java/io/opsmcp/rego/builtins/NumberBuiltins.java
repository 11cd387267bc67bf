package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * to_number, numbers.range, numbers.range_step, abs, round, ceil, floor and rand.intn, following
 * OPA's {@code casts.go}, {@code numbers.go} and {@code arithmetic.go}.
 */
final class NumberBuiltins {
    private NumberBuiltins() {}

    /** Go's strconv.ParseFloat decimal syntax (hex floats and underscores are not supported here). */
    private static final Pattern GO_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "to_number",
                        args(Type.anyOf(Type.NULL, Type.BOOLEAN, NUMBER, Type.STRING)),
                        NUMBER,
                        NumberBuiltins::toNumber),
                Builtin.simple(
                        "numbers.range", args(NUMBER, NUMBER), Type.array(NUMBER), (a, c) -> range(a, BigInteger.ONE)),
                Builtin.simple(
                        "numbers.range_step",
                        args(NUMBER, NUMBER, NUMBER),
                        Type.array(NUMBER),
                        NumberBuiltins::rangeStep),
                Builtin.simple(
                        "abs",
                        args(NUMBER),
                        NUMBER,
                        (a, c) -> NumberValue.of(
                                Operands.number(a, 0).bigDecimal().abs())),
                Builtin.simple("round", args(NUMBER), NUMBER, (a, c) -> rounded(a, RoundingMode.HALF_UP)),
                Builtin.simple("ceil", args(NUMBER), NUMBER, (a, c) -> rounded(a, RoundingMode.CEILING)),
                Builtin.simple("floor", args(NUMBER), NUMBER, (a, c) -> rounded(a, RoundingMode.FLOOR)),
                new Builtin("rand.intn", args(Type.STRING, NUMBER), NUMBER, true, (BuiltinFunction.Simple)
                        NumberBuiltins::randIntn));
    }

    private static Value toNumber(List<Value> args, BuiltinContext ctx) {
        Value v = args.get(0);
        if (v instanceof NullValue) {
            return NumberValue.of(0);
        }
        if (v instanceof BooleanValue b) {
            return NumberValue.of(b.value() ? 1 : 0);
        }
        if (v instanceof NumberValue) {
            return v;
        }
        if (v instanceof StringValue s) {
            String str = s.value();
            String special = str.replaceFirst("^[+-]+", "").toLowerCase(Locale.ROOT);
            if (special.equals("inf") || special.equals("infinity") || special.equals("nan")) {
                throw BuiltinTypeError.operand(1, "valid number string", v);
            }
            if (!GO_FLOAT.matcher(str).matches()) {
                throw new BuiltinError("strconv.ParseFloat: parsing " + GoQuote.quote(str) + ": invalid syntax");
            }
            BigDecimal d = new BigDecimal(str.startsWith("+") ? str.substring(1) : str);
            if (d.signum() != 0 && (d.precision() - d.scale() - 1 > 308)) {
                throw new BuiltinError("strconv.ParseFloat: parsing " + GoQuote.quote(str) + ": value out of range");
            }
            return NumberValue.of(d);
        }
        throw Operands.oneOf(0, v, "null", "boolean", "number", "string");
    }

    private static Value rangeStep(List<Value> args, BuiltinContext ctx) {
        BigInteger step = Operands.bigInteger(args, 2);
        if (step.signum() <= 0) {
            throw new BuiltinError("numbers.range_step: step must be a positive integer");
        }
        return range(args, step);
    }

    private static Value range(List<Value> args, BigInteger step) {
        BigInteger x = Operands.bigInteger(args, 0);
        BigInteger y = Operands.bigInteger(args, 1);
        List<Value> out = new ArrayList<>();
        if (x.compareTo(y) <= 0) {
            for (BigInteger i = x; i.compareTo(y) <= 0; i = i.add(step)) {
                out.add(NumberValue.of(i));
            }
        } else {
            for (BigInteger i = x; i.compareTo(y) >= 0; i = i.subtract(step)) {
                out.add(NumberValue.of(i));
            }
        }
        return ArrayValue.of(out);
    }

    private static Value rounded(List<Value> args, RoundingMode mode) {
        NumberValue n = Operands.number(args, 0);
        if (n.isInteger()) {
            return n;
        }
        return NumberValue.of(n.bigDecimal().setScale(0, mode));
    }

    /** Stable per query for the same (string, n) as OPA caches it; seeded per query. */
    private static Value randIntn(List<Value> args, BuiltinContext ctx) {
        String key = Operands.string(args, 0);
        long n = Math.abs(Operands.integer(args, 1));
        if (n == 0) {
            return NumberValue.of(0);
        }
        return (Value) ctx.queryCache()
                .computeIfAbsent(
                        List.of("rand.intn", key, n), k -> NumberValue.of(Math.floorMod(new Random().nextLong(), n)));
    }
}
