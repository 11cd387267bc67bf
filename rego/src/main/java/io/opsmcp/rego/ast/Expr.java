package io.opsmcp.rego.ast;

import java.util.List;

/** One literal of a body: an expression, possibly negated, with optional {@code with} modifiers. */
public record Expr(Location loc, boolean negated, Kind kind, List<With> withs, boolean plain) {
    /**
     * {@code plain} (no {@code with} modifier) is always derived from {@code withs} (whatever is passed is ignored):
     * the evaluator tests it on every expression, and under C1 {@code withs.isEmpty()} is an interface call through an
     * itable stub (server/BENCHMARKS.md, policy decision, sixth pass).
     */
    public Expr {
        plain = withs.isEmpty();
    }

    /** An expression of {@code kind}, negated or not, with {@code withs} modifiers in order. */
    public Expr(Location loc, boolean negated, Kind kind, List<With> withs) {
        this(loc, negated, kind, withs, false);
    }

    @Override
    public String toString() {
        return "Expr[loc=" + loc + ", negated=" + negated + ", kind=" + kind + ", withs=" + withs + "]";
    }

    /** What the expression does. */
    public sealed interface Kind permits TermExpr, SomeVars, SomeIn, Every, Logical {}

    /** A term (often a call such as {@code eq(x, y)}) whose value must not be false. */
    public record TermExpr(Term term) implements Kind {}

    /** {@code some x, y}: declares local variables. */
    public record SomeVars(List<Term.Var> vars) implements Kind {}

    /** {@code some [key,] value in collection}. */
    public record SomeIn(Term key, Term value, Term collection) implements Kind {}

    /** {@code every [key,] value in domain { body }}. */
    public record Every(Term key, Term value, Term domain, Body body) implements Kind {}

    /**
     * {@code a and b and ...} ({@code or} false) or {@code a or b or ...} ({@code or} true), and the
     * body of {@code not { ... }} (a one-operand {@code and}, negated by the enclosing expression).
     * Each operand is a body with its own scope; it is only checked for success, so no binding made
     * inside leaves it and an operand that succeeds many times counts once. Operands run left to
     * right and stop as soon as the result is known (OPA's experimental {@code and}/{@code or}).
     */
    public record Logical(boolean or, List<Body> operands) implements Kind {}

    /** {@code with target as value}. */
    public record With(Location loc, Term target, Term value) {}

    public Expr withKind(Kind k) {
        return new Expr(loc, negated, k, withs);
    }
}
