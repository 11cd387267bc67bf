package io.opsmcp.rego.ast;

import java.util.List;
import java.util.Objects;

/**
 * A conjunction of expressions (a rule body or a query). {@code items} is always derived from {@code exprs} (whatever
 * is passed is ignored): the evaluator walks the array because under C1 every {@code List} access is an interface call
 * through an itable stub (server/BENCHMARKS.md, policy decision, sixth pass). Never modify it.
 */
public record Body(Location loc, List<Expr> exprs, Expr[] items) {
    private static final Expr[] NONE = new Expr[0];

    public Body {
        exprs = List.copyOf(exprs);
        items = exprs.toArray(NONE);
    }

    /** A body of {@code exprs}, in order. */
    public Body(Location loc, List<Expr> exprs) {
        this(loc, exprs, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Body b && Objects.equals(loc, b.loc) && exprs.equals(b.exprs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loc, exprs);
    }

    @Override
    public String toString() {
        return "Body[loc=" + loc + ", exprs=" + exprs + "]";
    }
}
