package io.opsmcp.rego.ast;

import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;

/**
 * A Rego term as written in source (after compilation vars carry a frame slot and calls are
 * resolved to a built-in or a rule path).
 */
public sealed interface Term
        permits Term.Scalar,
                Term.Var,
                Term.Ref,
                Term.ArrayTerm,
                Term.ObjectTerm,
                Term.SetTerm,
                Term.ArrayCompr,
                Term.SetCompr,
                Term.ObjectCompr,
                Term.Call,
                Term.FuncRef {

    Location loc();

    /** A constant scalar or any ground value built at compile time. */
    record Scalar(Location loc, Value value) implements Term {
        /** A string's text is interned (see {@link StringValue#intern()}): terms are made by the compiler. */
        public Scalar {
            if (value instanceof StringValue s) {
                value = s.intern();
            }
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    /** A variable; {@code slot} is its index in the evaluation frame (-1 before compilation). */
    record Var(Location loc, String name, int slot) implements Term {
        /** The name is interned: the evaluator compares it with {@code "data"} and {@code "input"} on every ref. */
        public Var {
            name = name.intern();
        }

        public boolean isWildcard() {
            return name.startsWith("$");
        }

        @Override
        public String toString() {
            return name.startsWith("$") ? "_" : name;
        }
    }

    /** A reference {@code head.path[...]}; path elements are terms (dot access gives strings). */
    record Ref(Location loc, Term head, List<Term> path) implements Term {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(head.toString());
            for (Term t : path) {
                if (t instanceof Scalar s
                        && s.value() instanceof io.opsmcp.rego.value.StringValue str
                        && str.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    sb.append('.').append(str.value());
                } else {
                    sb.append('[').append(t).append(']');
                }
            }
            return sb.toString();
        }
    }

    /** An array literal. */
    record ArrayTerm(Location loc, List<Term> items) implements Term {}

    /** An object literal; keys and values are parallel lists. */
    record ObjectTerm(Location loc, List<Term> keys, List<Term> values) implements Term {}

    /** A set literal. */
    record SetTerm(Location loc, List<Term> items) implements Term {}

    /** {@code [head | body]}. */
    record ArrayCompr(Location loc, Term head, Body body) implements Term {}

    /** {@code {head | body}}. */
    record SetCompr(Location loc, Term head, Body body) implements Term {}

    /** {@code {key: value | body}}. */
    record ObjectCompr(Location loc, Term key, Term value, Body body) implements Term {}

    /**
     * A call. {@code name} is the operator as written ("plus", "count", "data.pkg.f", "f").
     * After compilation {@code function} is the data path of a user function (null for built-ins).
     */
    record Call(Location loc, String name, List<Term> args, List<String> function) implements Term {
        /** The name is interned: the evaluator compares it with operator and built-in names on every call. */
        public Call {
            name = name.intern();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append('(');
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(args.get(i));
            }
            return sb.append(')').toString();
        }
    }

    /**
     * A function named as a value (only in {@code with} targets and replacements after compilation):
     * a user function at data path {@code function}, or the built-in {@code name} when function is null.
     */
    record FuncRef(Location loc, String name, List<String> function) implements Term {
        @Override
        public String toString() {
            return name;
        }
    }
}
