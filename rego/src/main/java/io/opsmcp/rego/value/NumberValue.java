package io.opsmcp.rego.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An arbitrary-precision Rego number. Integers are exact; equality and hashing are by numeric
 * value so {@code 1} equals {@code 1.0}. The textual form keeps the literal's digits, as OPA's
 * {@code json.Number} does.
 */
public final class NumberValue implements Value {
    private static final NumberValue[] SMALL = new NumberValue[257];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new NumberValue(BigDecimal.valueOf(i - 128));
        }
    }

    private final BigDecimal value;
    private int hash;

    private NumberValue(BigDecimal value) {
        this.value = value;
    }

    public static NumberValue of(long v) {
        if (v >= -128 && v <= 128) {
            return SMALL[(int) v + 128];
        }
        return new NumberValue(BigDecimal.valueOf(v));
    }

    public static NumberValue of(BigDecimal v) {
        return new NumberValue(v);
    }

    public static NumberValue of(BigInteger v) {
        return new NumberValue(new BigDecimal(v));
    }

    /** Parses a JSON/Rego number literal. @throws NumberFormatException when not a number */
    public static NumberValue of(String literal) {
        return new NumberValue(new BigDecimal(literal));
    }

    public BigDecimal bigDecimal() {
        return value;
    }

    /** True when the value has no fractional part. */
    public boolean isInteger() {
        return value.scale() <= 0
                || value.signum() == 0
                || value.stripTrailingZeros().scale() <= 0;
    }

    /** The value as a long when it is an integer that fits. */
    public OptionalLong asLong() {
        if (!isInteger()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(value.longValueExact());
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    /** The value as an int when it is an integer that fits. */
    public OptionalInt asInt() {
        OptionalLong l = asLong();
        if (l.isEmpty() || l.getAsLong() > Integer.MAX_VALUE || l.getAsLong() < Integer.MIN_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) l.getAsLong());
    }

    @Override
    public String typeName() {
        return "number";
    }

    @Override
    public int typeRank() {
        return 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberValue n && (n == this || value.compareTo(n.value) == 0);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = value.signum() == 0 ? 1 : value.stripTrailingZeros().hashCode();
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        if (value.scale() < 0 && isInteger()) {
            return value.toBigInteger().toString();
        }
        return value.toString().contains("E") ? value.toString() : value.toPlainString();
    }
}
