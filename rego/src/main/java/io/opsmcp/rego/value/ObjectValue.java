package io.opsmcp.rego.value;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An immutable Rego object; keys may be any value; iteration is in key sort order.
 *
 * <p>One member may be deferred ({@link #withDeferred}): its key is known, its value is computed when something
 * first needs it. Looking up another key, the keys, the size and comparisons with objects of another size do not
 * compute it; the value of that key, the entries, equality of same-sized objects, the hash and the text do. So any
 * use of the object is the same as with the value present from the start, only later.
 */
public final class ObjectValue implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(Map.of(), null);

    /** Every member, or every member but the deferred one. */
    private final Map<Value, Value> map;
    /** The deferred member, or null (nearly every object). */
    private final Deferred deferred;

    private volatile Value[] sortedKeys;
    private int hash;

    /** A deferred member and, once its value was needed for the whole map, that map (computed once per object). */
    private static final class Deferred {
        final Value key;
        final DeferredValue value;
        volatile Map<Value, Value> all;

        Deferred(Value key, DeferredValue value) {
            this.key = key;
            this.value = value;
        }
    }

    private ObjectValue(Map<Value, Value> map, Deferred deferred) {
        this.map = map;
        this.deferred = deferred;
    }

    private ObjectValue(Map<Value, Value> map) {
        this(map, null);
    }

    public static ObjectValue of(Map<Value, Value> entries) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        return new ObjectValue(new HashMap<>(entries));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This object with member {@code key} deferred: its value is {@code value.get()}, computed only when a use of
     * the object needs it (see the class comment).
     *
     * @throws IllegalArgumentException when {@code key} is already a member or this object has a deferred member
     */
    public ObjectValue withDeferred(Value key, DeferredValue value) {
        if (deferred != null || map.containsKey(key)) {
            throw new IllegalArgumentException("cannot defer member " + key + ": already present");
        }
        return new ObjectValue(map, new Deferred(key, value));
    }

    /**
     * This object with member {@code key} set to {@code value} (added or replaced). A deferred member stays
     * deferred unless it is the one replaced.
     */
    public ObjectValue with(Value key, Value value) {
        HashMap<Value, Value> m = new HashMap<>(map);
        m.put(key, value);
        Deferred d = deferred;
        return new ObjectValue(m, d != null && d.key.equals(key) ? null : d);
    }

    /** Every member, computing a deferred one. */
    private Map<Value, Value> all() {
        Deferred d = deferred;
        if (d == null) {
            return map;
        }
        Map<Value, Value> a = d.all;
        if (a == null) {
            HashMap<Value, Value> m = new HashMap<>(map);
            m.put(d.key, d.value.get());
            a = Collections.unmodifiableMap(m);
            d.all = a;
        }
        return a;
    }

    /** The value for {@code key}, or null when absent. */
    public Value get(Value key) {
        Deferred d = deferred;
        if (d != null && d.key.equals(key)) {
            return d.value.get();
        }
        return map.get(key);
    }

    /** Convenience lookup by string key; null when absent. */
    public Value get(String key) {
        return get(StringValue.of(key));
    }

    public boolean containsKey(Value key) {
        Deferred d = deferred;
        return map.containsKey(key) || d != null && d.key.equals(key);
    }

    public int size() {
        return deferred == null ? map.size() : map.size() + 1;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    Value[] sortedKeys() {
        Value[] k = sortedKeys;
        if (k == null) {
            k = map.keySet().toArray(new Value[size()]);
            if (deferred != null) {
                k[k.length - 1] = deferred.key;
            }
            Arrays.sort(k);
            sortedKeys = k;
        }
        return k;
    }

    /** Keys in sort order. */
    public Collection<Value> keys() {
        return Collections.unmodifiableList(Arrays.asList(sortedKeys()));
    }

    /** Entries in key sort order. */
    public Set<Map.Entry<Value, Value>> entries() {
        LinkedHashSet<Map.Entry<Value, Value>> out = new LinkedHashSet<>();
        for (Value k : sortedKeys()) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(k, get(k)));
        }
        return out;
    }

    /** Entries in no particular order (cheaper than {@link #entries()}). */
    public Set<Map.Entry<Value, Value>> unorderedEntries() {
        return Collections.unmodifiableMap(all()).entrySet();
    }

    /** A read-only view of the underlying map (unordered). */
    public Map<Value, Value> asMap() {
        return Collections.unmodifiableMap(all());
    }

    @Override
    public String typeName() {
        return "object";
    }

    @Override
    public int typeRank() {
        return 5;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectValue v
                && (v == this || v.size() == size() && v.all().equals(all()));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = all().hashCode() * 31 + 5;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Value k : sortedKeys()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(k).append(": ").append(get(k));
        }
        return sb.append('}').toString();
    }

    /** Accumulates entries for a new object; a later put replaces an earlier one. Single use: build once. */
    public static final class Builder {
        private final HashMap<Value, Value> map = new HashMap<>();

        public Builder put(Value k, Value v) {
            map.put(k, v);
            return this;
        }

        public Builder put(String k, Value v) {
            return put(StringValue.of(k), v);
        }

        public Value get(Value k) {
            return map.get(k);
        }

        public int size() {
            return map.size();
        }

        public ObjectValue build() {
            return map.isEmpty() ? EMPTY : new ObjectValue(map);
        }
    }
}
