package io.opsmcp.rego.compiler;

import java.util.List;
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

    /** Operator codes ({@link #code}): what the evaluator switches on instead of the name. */
    public static final int EQ = 0;

    public static final int ASSIGN = 1;
    public static final int EQUAL = 2;
    public static final int NEQ = 3;
    public static final int LT = 4;
    public static final int GT = 5;
    public static final int LTE = 6;
    public static final int GTE = 7;
    public static final int PLUS = 8;
    public static final int MINUS = 9;
    public static final int MUL = 10;
    public static final int DIV = 11;
    public static final int REM = 12;
    public static final int OR = 13;
    public static final int AND = 14;
    public static final int MEMBER_2 = 15;
    public static final int MEMBER_3 = 16;
    public static final int PRINT = 17;

    /** The names in code order. */
    private static final List<String> NAMES = List.of(
            "eq",
            "assign",
            "equal",
            "neq",
            "lt",
            "gt",
            "lte",
            "gte",
            "plus",
            "minus",
            "mul",
            "div",
            "rem",
            "or",
            "and",
            "internal.member_2",
            "internal.member_3",
            "print");

    /** Arity by code; print is variadic (-1). */
    private static final int[] ARITIES = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, -1};

    private Operators() {}

    /** The operator's code (0..17, the constants above) for its name, or -1 when {@code name} is no operator. */
    public static int code(String name) {
        return NAMES.indexOf(name);
    }

    /** The arity of the operator with {@code code} (-1: print, variadic). */
    public static int arity(int code) {
        return ARITIES[code];
    }

    public static boolean isOperator(String name) {
        return ARITY.containsKey(name);
    }
}
