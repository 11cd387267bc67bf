package io.opsmcp.rego.value;

/** The Rego/JSON {@code null}. */
public final class NullValue implements Value {
    public static final NullValue INSTANCE = new NullValue();

    private NullValue() {}

    @Override
    public String typeName() {
        return "null";
    }

    @Override
    public int typeRank() {
        return 0;
    }

    @Override
    public String toString() {
        return "null";
    }
}
