package io.opsmcp.rego.value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** An immutable Rego array. */
public final class ArrayValue implements Value {
    public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);

    private final Value[] elements;
    private int hash;

    private ArrayValue(Value[] elements) {
        this.elements = elements;
    }

    public static ArrayValue of(List<Value> elements) {
        return elements.isEmpty() ? EMPTY : new ArrayValue(elements.toArray(new Value[elements.size()]));
    }

    public static ArrayValue of(Value... elements) {
        if (elements.length == 0) {
            return EMPTY;
        }
        // not clone(): a call into the VM under C1 (System.arraycopy is an intrinsic)
        Value[] copy = new Value[elements.length];
        System.arraycopy(elements, 0, copy, 0, elements.length);
        return new ArrayValue(copy);
    }

    /** Wraps an array the caller promises never to modify again. */
    static ArrayValue wrap(Value[] elements) {
        return new ArrayValue(elements);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Value> elements() {
        return Collections.unmodifiableList(Arrays.asList(elements));
    }

    public int size() {
        return elements.length;
    }

    public Value get(int i) {
        return elements[i];
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public int typeRank() {
        return 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayValue a && (a == this || Arrays.equals(elements, a.elements));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(elements) * 31 + 4;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(elements[i]);
        }
        return sb.append(']').toString();
    }

    /** Accumulates elements for a new array. */
    public static final class Builder {
        private final ArrayList<Value> list = new ArrayList<>();

        public Builder add(Value v) {
            list.add(v);
            return this;
        }

        public int size() {
            return list.size();
        }

        public ArrayValue build() {
            return ArrayValue.of(list);
        }
    }
}
