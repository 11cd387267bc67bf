package io.opsmcp.rego.value;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** An immutable Rego object; keys may be any value; iteration is in key sort order. */
public final class ObjectValue implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(Map.of());

    private final Map<Value, Value> map;
    private volatile Value[] sortedKeys;
    private int hash;

    private ObjectValue(Map<Value, Value> map) {
        this.map = map;
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

    /** The value for {@code key}, or null when absent. */
    public Value get(Value key) {
        return map.get(key);
    }

    /** Convenience lookup by string key; null when absent. */
    public Value get(String key) {
        return map.get(StringValue.of(key));
    }

    public boolean containsKey(Value key) {
        return map.containsKey(key);
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    Value[] sortedKeys() {
        Value[] k = sortedKeys;
        if (k == null) {
            k = map.keySet().toArray(new Value[0]);
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
            out.add(new AbstractMap.SimpleImmutableEntry<>(k, map.get(k)));
        }
        return out;
    }

    /** Entries in no particular order (cheaper than {@link #entries()}). */
    public Set<Map.Entry<Value, Value>> unorderedEntries() {
        return Collections.unmodifiableMap(map).entrySet();
    }

    /** A read-only view of the underlying map (unordered). */
    public Map<Value, Value> asMap() {
        return Collections.unmodifiableMap(map);
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
        return o instanceof ObjectValue v && (v == this || v.map.equals(map));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = map.hashCode() * 31 + 5;
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
            sb.append(k).append(": ").append(map.get(k));
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
