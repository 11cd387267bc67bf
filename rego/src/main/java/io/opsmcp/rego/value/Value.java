package io.opsmcp.rego.value;

/**
 * An immutable Rego value (a ground term). Ordering follows OPA's {@code ast.Compare}:
 * null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set; composites compare
 * element-wise (objects by sorted key, then value), then by size. Equality is structural and
 * numbers compare by numeric value ({@code 1 == 1.0}). {@link #toString()} prints Rego term syntax.
 */
public sealed interface Value extends Comparable<Value>
        permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

    /** OPA type name: "null", "boolean", "number", "string", "array", "object" or "set". */
    String typeName();

    /** Position of this value's type in OPA's sort order. */
    int typeRank();

    @Override
    default int compareTo(Value o) {
        return Compare.compare(this, o);
    }
}
