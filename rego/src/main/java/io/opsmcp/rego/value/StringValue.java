package io.opsmcp.rego.value;

/** A Rego string. {@link #toString()} prints it quoted as OPA does. */
public final class StringValue implements Value {
    public static final StringValue EMPTY = new StringValue("");

    private final String value;

    private StringValue(String value) {
        this.value = value;
    }

    public static StringValue of(String s) {
        return s.isEmpty() ? EMPTY : new StringValue(s);
    }

    /**
     * This string with its text {@link String#intern() interned}: the compiler interns every string of a policy
     * (literals, rule paths, base data), so that the evaluator's look-ups of equal strings compare references, not
     * bytes ({@link String#equals} tests identity first). Strings of an input are not interned (per evaluation).
     */
    public StringValue intern() {
        String i = value.intern();
        return i == value ? this : new StringValue(i);
    }

    public String value() {
        return value;
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public int typeRank() {
        return 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringValue s && (s == this || s.value.equals(value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return Values.quote(value);
    }
}
