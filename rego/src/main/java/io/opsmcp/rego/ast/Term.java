package io.opsmcp.rego.ast;

import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;
import java.util.Objects;

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
    record Ref(Location loc, Term head, List<Term> path, Term[] pathArray, int[] directSlots, Site site)
            implements Term {
        /**
         * {@code pathArray}, {@code directSlots} and {@code site} are always derived here (whatever is passed is
         * ignored), for the evaluator: the path as an array (under C1 every {@code List} access is an interface call
         * through an itable stub; never modify it); the frame slots that must be bound for the ref to be evaluated
         * without iteration — its head and every variable in its path, nested refs included — or null when its shape
         * never allows that (a head that is not a variable, an unslotted variable other than {@code data}/{@code
         * input} as head, a path element other than a scalar, a slotted variable or such a ref; never modify it); and
         * where its constant prefix leads in one compiled policy (server/BENCHMARKS.md, policy decision, sixth pass).
         */
        public Ref {
            path = List.copyOf(path);
            pathArray = path.toArray(NO_TERMS);
            directSlots = directSlots(head, pathArray);
            site = new Site();
        }

        /** A ref {@code head} followed by {@code path}. */
        public Ref(Location loc, Term head, List<Term> path) {
            this(loc, head, path, null, null, null);
        }

        private static int[] directSlots(Term head, Term[] path) {
            if (!(head instanceof Var h)) {
                return null;
            }
            int[] slots = new int[0];
            if (h.slot() >= 0) {
                slots = new int[] {h.slot()};
            } else if (!h.name().equals("data") && !h.name().equals("input")) {
                return null;
            }
            for (Term p : path) {
                if (p instanceof Var v) {
                    if (v.slot() < 0) {
                        return null;
                    }
                    slots = java.util.Arrays.copyOf(slots, slots.length + 1);
                    slots[slots.length - 1] = v.slot();
                } else if (p instanceof Ref r) {
                    if (r.directSlots == null) {
                        return null;
                    }
                    int n = slots.length;
                    slots = java.util.Arrays.copyOf(slots, n + r.directSlots.length);
                    System.arraycopy(r.directSlots, 0, slots, n, r.directSlots.length);
                } else if (!(p instanceof Scalar)) {
                    return null;
                }
            }
            return slots;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ref r
                    && Objects.equals(loc, r.loc)
                    && Objects.equals(head, r.head)
                    && path.equals(r.path);
        }

        @Override
        public int hashCode() {
            return Objects.hash(loc, head, path);
        }

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
    record Call(
            Location loc, String name, List<Term> args, List<String> function, Term[] argArray, int operator, Site site)
            implements Term {
        /**
         * The name is interned. {@code argArray}, {@code operator} and {@code site} are always derived here (whatever
         * is passed is ignored): the arguments as an array (under C1 every {@code List} access is an interface call
         * through an itable stub; never modify it), the operator's code ({@link
         * io.opsmcp.rego.compiler.Operators#code}, -1 for anything else) and the call's built-in or function once
         * resolved, so the evaluator matches neither by name per call (server/BENCHMARKS.md, policy decision, sixth
         * pass).
         */
        public Call {
            name = name.intern();
            args = List.copyOf(args);
            argArray = args.toArray(NO_TERMS);
            operator = function == null ? io.opsmcp.rego.compiler.Operators.code(name) : -1;
            site = new Site();
        }

        /** A call of {@code name} (a built-in or operator when {@code function} is null) with {@code args}. */
        public Call(Location loc, String name, List<Term> args, List<String> function) {
            this(loc, name, args, function, null, 0, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Call c
                    && Objects.equals(loc, c.loc)
                    && name.equals(c.name)
                    && args.equals(c.args)
                    && Objects.equals(function, c.function);
        }

        @Override
        public int hashCode() {
            return Objects.hash(loc, name, args, function);
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

    /** An empty term array (the derived arrays of terms without path or arguments). */
    Term[] NO_TERMS = new Term[0];

    /**
     * What a call or ref resolved to in one context, remembered at the term by the evaluator so it is not looked up
     * per evaluation: a built-in call's {@code Builtin} in one registry, a function call's rule node in one function
     * index, a data ref's link in one policy's {@code RefLinks}. Each answer never changes for its context, and the
     * pair is published as one immutable object, so a racing evaluation sees either nothing (and looks up) or a
     * complete pair; a term evaluated in another context looks up again (and then remembers that one).
     */
    final class Site {
        private volatile Pair pair;

        private record Pair(Object context, Object answer) {}

        /** What was remembered for {@code context} (compared by identity), or null when nothing is (look it up). */
        public Object get(Object context) {
            Pair p = pair;
            return p != null && p.context == context ? p.answer : null;
        }

        /** Remembers {@code answer} (not null) as what this term resolves to in {@code context}. */
        public void set(Object context, Object answer) {
            pair = new Pair(context, answer);
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
