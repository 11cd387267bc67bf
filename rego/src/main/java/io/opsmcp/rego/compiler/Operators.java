package io.opsmcp.rego.compiler;

import java.util.Map;

/**
 * Operator-like built-ins implemented by the evaluator itself (they need its number semantics and
 * unification): arithmetic, comparison, set and/or, membership, unification and print.
 */
public final class Operators {
    /** Name to arity; print is variadic (-1). */
    public static final Map<String, Integer> ARITY = Map.ofEntries(
            Map.entry("eq", 2),
            Map.entry("assign", 2),
            Map.entry("equal", 2),
            Map.entry("neq", 2),
            Map.entry("lt", 2),
            Map.entry("gt", 2),
            Map.entry("lte", 2),
            Map.entry("gte", 2),
            Map.entry("plus", 2),
            Map.entry("minus", 2),
            Map.entry("mul", 2),
            Map.entry("div", 2),
            Map.entry("rem", 2),
            Map.entry("or", 2),
            Map.entry("and", 2),
            Map.entry("internal.member_2", 2),
            Map.entry("internal.member_3", 3),
            Map.entry("print", -1));

    private Operators() {}

    public static boolean isOperator(String name) {
        return ARITY.containsKey(name);
    }
}
