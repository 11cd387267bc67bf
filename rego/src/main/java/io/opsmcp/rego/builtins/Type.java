package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small model of OPA's type system ({@code v1/types}) used in built-in declarations and the
 * compiler's type check. {@link #toString()} prints types as OPA's error messages do.
 */
public sealed interface Type {
    Type ANY = new Any();
    Type NULL = new Prim("null");
    Type BOOLEAN = new Prim("boolean");
    Type NUMBER = new Prim("number");
    Type STRING = new Prim("string");
    Type ANY_OBJECT = new Obj(ANY, ANY);
    Type ANY_ARRAY = new Arr(ANY);
    Type ANY_SET = new SetOf(ANY);

    static Type array(Type of) {
        return new Arr(of);
    }

    static Type set(Type of) {
        return new SetOf(of);
    }

    static Type object(Type key, Type value) {
        return new Obj(key, value);
    }

    static Type anyOf(Type... options) {
        return new AnyOf(List.of(options));
    }

    /**
     * True when some value of type {@code other} may be accepted where this type is declared: {@code any} may
     * hold anything, a union when one of its options may; otherwise {@link #mayAcceptSameKind}.
     */
    default boolean mayAccept(Type other) {
        if (other instanceof Any) {
            return true;
        }
        if (other instanceof AnyOf a) {
            return a.options().stream().anyMatch(this::mayAccept);
        }
        return mayAcceptSameKind(other);
    }

    /** {@link #mayAccept} for an {@code other} that is neither {@code any} nor a union. */
    default boolean mayAcceptSameKind(Type other) {
        return false;
    }

    /** True when the value is a member of this type. */
    boolean accepts(Value v);

    /** Any value. */
    record Any() implements Type {
        @Override
        public boolean mayAccept(Type other) {
            return true;
        }

        @Override
        public boolean accepts(Value v) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    /** null, boolean, number or string. */
    record Prim(String name) implements Type {
        @Override
        public boolean mayAcceptSameKind(Type other) {
            return other instanceof Prim p && p.name.equals(name);
        }

        @Override
        public boolean accepts(Value v) {
            return switch (name) {
                case "null" -> v instanceof NullValue;
                case "boolean" -> v instanceof BooleanValue;
                case "number" -> v instanceof NumberValue;
                default -> v instanceof StringValue;
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Array with elements of one type. */
    record Arr(Type of) implements Type {
        @Override
        public boolean mayAcceptSameKind(Type other) {
            return other instanceof Arr a && of.mayAccept(a.of);
        }

        @Override
        public boolean accepts(Value v) {
            return v instanceof ArrayValue a && a.elements().stream().allMatch(of::accepts);
        }

        @Override
        public String toString() {
            return "array[" + of + "]";
        }
    }

    /** Set with members of one type. */
    record SetOf(Type of) implements Type {
        @Override
        public boolean mayAcceptSameKind(Type other) {
            return other instanceof SetOf s && of.mayAccept(s.of);
        }

        @Override
        public boolean accepts(Value v) {
            return v instanceof SetValue s && s.elements().stream().allMatch(of::accepts);
        }

        @Override
        public String toString() {
            return "set[" + of + "]";
        }
    }

    /** Object with keys and values of given types. */
    record Obj(Type key, Type value) implements Type {
        @Override
        public boolean mayAcceptSameKind(Type other) {
            return other instanceof Obj o && key.mayAccept(o.key) && value.mayAccept(o.value);
        }

        @Override
        public boolean accepts(Value v) {
            if (!(v instanceof ObjectValue o)) {
                return false;
            }
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                if (!key.accepts(e.getKey()) || !value.accepts(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "object[" + key + ": " + value + "]";
        }
    }

    /** A union of types. */
    record AnyOf(List<Type> options) implements Type {
        @Override
        public boolean mayAccept(Type other) {
            if (other instanceof AnyOf a) {
                return a.options().stream().anyMatch(this::mayAccept);
            }
            return options.stream().anyMatch(t -> t.mayAccept(other));
        }

        @Override
        public boolean accepts(Value v) {
            return options.stream().anyMatch(t -> t.accepts(v));
        }

        @Override
        public String toString() {
            return "any<" + options.stream().map(Type::toString).collect(Collectors.joining(", ")) + ">";
        }
    }

    /** The type of a ground value, as the compiler infers it for literals. */
    static Type of(Value v) {
        if (v instanceof NullValue) {
            return NULL;
        }
        if (v instanceof BooleanValue) {
            return BOOLEAN;
        }
        if (v instanceof NumberValue) {
            return NUMBER;
        }
        if (v instanceof StringValue) {
            return STRING;
        }
        if (v instanceof ArrayValue) {
            return ANY_ARRAY;
        }
        if (v instanceof SetValue) {
            return ANY_SET;
        }
        return ANY_OBJECT;
    }

    /** Convenience for declarations: a list of argument types. */
    static List<Type> args(Type... types) {
        return Arrays.asList(types);
    }
}
