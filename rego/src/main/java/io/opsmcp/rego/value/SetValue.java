package io.opsmcp.rego.value;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An immutable Rego set; iteration is in OPA's sort order. */
public final class SetValue implements Value {
    public static final SetValue EMPTY = new SetValue(Set.of());

    private final Set<Value> members;
    private volatile List<Value> sorted;
    private int hash;

    private SetValue(Set<Value> members) {
        this.members = members;
    }

    public static SetValue of(Collection<Value> elements) {
        if (elements.isEmpty()) {
            return EMPTY;
        }
        return new SetValue(new HashSet<>(elements));
    }

    public static SetValue of(Value... elements) {
        return of(Arrays.asList(elements));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Members in sort order. */
    public Collection<Value> elements() {
        List<Value> s = sorted;
        if (s == null) {
            // sized: toArray of a smaller array creates the result by reflection (a VM call under C1)
            Value[] arr = members.toArray(new Value[members.size()]);
            Arrays.sort(arr);
            s = Collections.unmodifiableList(Arrays.asList(arr));
            sorted = s;
        }
        return s;
    }

    public boolean contains(Value v) {
        return members.contains(v);
    }

    public int size() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public int typeRank() {
        return 6;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetValue s && (s == this || s.members.equals(members));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = members.hashCode() * 31 + 6;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        if (members.isEmpty()) {
            return "set()";
        }
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Value v : elements()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(v);
        }
        return sb.append('}').toString();
    }

    /** Accumulates members for a new set (duplicates are dropped). Single use: build once. */
    public static final class Builder {
        private final HashSet<Value> set = new HashSet<>();

        public Builder add(Value v) {
            set.add(v);
            return this;
        }

        public boolean contains(Value v) {
            return set.contains(v);
        }

        public int size() {
            return set.size();
        }

        public SetValue build() {
            return set.isEmpty() ? EMPTY : new SetValue(set);
        }
    }
}
