package io.opsmcp.rego.compiler;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Safety analysis and body reordering (after OPA's {@code reorderBodyForSafety} and
 * {@code outputVarsForExpr}): repeatedly places the first expression whose variables are all
 * bound or bound by the expression itself (ref iteration, unification, output arguments, some-in).
 * A body that cannot be ordered has an unsafe variable: rego_compile_error "var x is unsafe".
 */
final class Safety {
    private final Map<Object, int[]> ranges;
    private final Map<Integer, String> names;
    private Set<Integer> lastSafe = Set.of();

    Safety(Map<Object, int[]> ranges, Map<Integer, String> slotNames) {
        this.ranges = ranges;
        this.names = slotNames;
    }

    /** The safe set after the last top-level {@link #reorder}. */
    Set<Integer> lastSafe() {
        return lastSafe;
    }

    Body reorder(Body body, Set<Integer> initialSafe, Set<Integer> extraUses) {
        Set<Integer> safe = new HashSet<>(initialSafe);
        List<Expr> exprs = body.exprs();
        Map<Integer, Integer> uses = new HashMap<>();
        for (Expr e : exprs) {
            Set<Integer> vs = new HashSet<>();
            exprVars(e, vs, true);
            for (Integer v : vs) {
                uses.merge(v, 1, Integer::sum);
            }
        }
        for (Integer v : extraUses) {
            uses.merge(v, 1, Integer::sum);
        }
        boolean[] placed = new boolean[exprs.size()];
        List<Expr> out = new ArrayList<>();
        boolean progress = true;
        while (progress && out.size() < exprs.size()) {
            progress = false;
            for (int i = 0; i < exprs.size(); i++) {
                if (placed[i]) {
                    continue;
                }
                Expr e = exprs.get(i);
                Set<Integer> needed = needed(e, uses, initialSafe);
                Set<Integer> outs = outputs(e, safe);
                Set<Integer> avail = new HashSet<>(safe);
                avail.addAll(outs);
                if (avail.containsAll(needed)) {
                    placed[i] = true;
                    out.add(rewriteExpr(e, safe));
                    safe.addAll(outs);
                    safe.addAll(needed);
                    progress = true;
                }
            }
        }
        if (out.size() < exprs.size()) {
            for (int i = 0; i < exprs.size(); i++) {
                if (!placed[i]) {
                    Expr e = exprs.get(i);
                    Set<Integer> needed = needed(e, uses, initialSafe);
                    needed.removeAll(safe);
                    needed.removeAll(outputs(e, safe));
                    // name a var the user wrote rather than one the compiler made up (template strings, hoisting)
                    int slot = needed.stream()
                            .filter(v -> !names.getOrDefault(v, "").startsWith("#"))
                            .min(Integer::compare)
                            .orElse(needed.stream().min(Integer::compare).orElse(-1));
                    String n = names.getOrDefault(slot, "?");
                    throw new RegoException(
                            "rego_compile_error", "var " + (n.startsWith("$") ? "_" : n) + " is unsafe", e.loc());
                }
            }
        }
        lastSafe = safe;
        return new Body(body.loc(), out);
    }

    /** Vars that must be bound for the expression (locals used only in a negation are existential). */
    private Set<Integer> needed(Expr e, Map<Integer, Integer> uses, Set<Integer> initialSafe) {
        Set<Integer> vs = new HashSet<>();
        exprVars(e, vs, true);
        if (e.negated()) {
            vs.removeIf(v -> uses.getOrDefault(v, 0) <= 1
                    && !initialSafe.contains(v)
                    && names.getOrDefault(v, "").startsWith("$"));
        }
        return vs;
    }

    private void exprVars(Expr e, Set<Integer> out, boolean closures) {
        Expr.Kind k = e.kind();
        if (k instanceof Expr.TermExpr te) {
            termVars(te.term(), out);
        } else if (k instanceof Expr.SomeIn si) {
            if (si.key() != null) {
                termVars(si.key(), out);
            }
            termVars(si.value(), out);
            termVars(si.collection(), out);
        } else if (k instanceof Expr.Logical lg) {
            int[] r = ranges.get(lg);
            Set<Integer> inner = new HashSet<>();
            lg.operands().forEach(b -> bodyVars(b, inner));
            for (Integer v : inner) {
                if (r == null || v < r[0] || v >= r[1]) {
                    out.add(v);
                }
            }
        } else if (k instanceof Expr.Every ev) {
            termVars(ev.domain(), out);
            int[] r = ranges.get(ev);
            Set<Integer> inner = new HashSet<>();
            bodyVars(ev.body(), inner);
            if (ev.key() != null) {
                termVars(ev.key(), inner);
            }
            termVars(ev.value(), inner);
            for (Integer v : inner) {
                if (r == null || v < r[0] || v >= r[1]) {
                    out.add(v);
                }
            }
        }
        for (Expr.With w : e.withs()) {
            termVars(w.value(), out);
        }
    }

    private void bodyVars(Body b, Set<Integer> out) {
        for (Expr e : b.exprs()) {
            exprVars(e, out, true);
        }
    }

    /** Vars of a term; comprehensions contribute only their free (outer) vars. */
    private void termVars(Term t, Set<Integer> out) {
        if (t instanceof Term.Var v) {
            if (v.slot() >= 0) {
                out.add(v.slot());
            }
        } else if (t instanceof Term.Ref r) {
            termVars(r.head(), out);
            r.path().forEach(x -> termVars(x, out));
        } else if (t instanceof Term.ArrayTerm a) {
            a.items().forEach(x -> termVars(x, out));
        } else if (t instanceof Term.SetTerm s) {
            s.items().forEach(x -> termVars(x, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(x -> termVars(x, out));
            o.values().forEach(x -> termVars(x, out));
        } else if (t instanceof Term.Call c) {
            c.args().forEach(x -> termVars(x, out));
        } else if (t instanceof Term.ArrayCompr || t instanceof Term.SetCompr || t instanceof Term.ObjectCompr) {
            Set<Integer> inner = new HashSet<>();
            if (t instanceof Term.ArrayCompr c) {
                termVars(c.head(), inner);
                bodyVars(c.body(), inner);
            } else if (t instanceof Term.SetCompr c) {
                termVars(c.head(), inner);
                bodyVars(c.body(), inner);
            } else {
                Term.ObjectCompr c = (Term.ObjectCompr) t;
                termVars(c.key(), inner);
                termVars(c.value(), inner);
                bodyVars(c.body(), inner);
            }
            int[] r = ranges.get(t);
            for (Integer v : inner) {
                if (r == null || v < r[0] || v >= r[1]) {
                    out.add(v);
                }
            }
        }
    }

    /** All vars of a term, not descending into comprehensions (static helper for heads and args). */
    static void vars(Term t, Set<Integer> out) {
        if (t instanceof Term.Var v) {
            if (v.slot() >= 0) {
                out.add(v.slot());
            }
        } else if (t instanceof Term.Ref r) {
            vars(r.head(), out);
            r.path().forEach(x -> vars(x, out));
        } else if (t instanceof Term.ArrayTerm a) {
            a.items().forEach(x -> vars(x, out));
        } else if (t instanceof Term.SetTerm s) {
            s.items().forEach(x -> vars(x, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(x -> vars(x, out));
            o.values().forEach(x -> vars(x, out));
        } else if (t instanceof Term.Call c) {
            c.args().forEach(x -> vars(x, out));
        }
    }

    // ------------------------------------------------------------------ outputs

    private Set<Integer> outputs(Expr e, Set<Integer> safe) {
        Set<Integer> out = new HashSet<>();
        if (e.negated()) {
            return out;
        }
        Expr.Kind k = e.kind();
        if (k instanceof Expr.TermExpr te) {
            Term t = te.term();
            refOutputs(t, safe, out);
            if (t instanceof Term.Call c) {
                if (c.name().equals("eq") || c.name().equals("assign")) {
                    boolean changed = true;
                    while (changed) {
                        int before = out.size();
                        unifyOutputs(c.args().get(0), c.args().get(1), safe, out);
                        changed = out.size() != before;
                    }
                } else if (!c.name().startsWith("internal.member") && !c.name().equals("print")) {
                    int arity = arityOf(c);
                    if (arity >= 0 && c.args().size() == arity + 1) {
                        Set<Integer> in = new HashSet<>();
                        for (int i = 0; i < arity; i++) {
                            termVars(c.args().get(i), in);
                        }
                        Set<Integer> avail = new HashSet<>(safe);
                        avail.addAll(out);
                        if (avail.containsAll(in)) {
                            vars(c.args().get(arity), out);
                        }
                    }
                }
            }
        } else if (k instanceof Expr.SomeIn si) {
            refOutputs(si.collection(), safe, out);
            Set<Integer> in = new HashSet<>();
            termVars(si.collection(), in);
            Set<Integer> avail = new HashSet<>(safe);
            avail.addAll(out);
            if (avail.containsAll(in)) {
                if (si.key() != null) {
                    patternVars(si.key(), out);
                }
                patternVars(si.value(), out);
            }
        }
        return out;
    }

    private static int arityOf(Term.Call c) {
        Integer op = Operators.ARITY.get(c.name());
        if (op != null) {
            return op;
        }
        // Calls with one extra argument bind it; the registry/function arity is checked by the compiler.
        return c.args().size() - 1;
    }

    /** Vars in ref paths whose ref head is bound (iteration binds them). */
    private void refOutputs(Term t, Set<Integer> safe, Set<Integer> out) {
        if (t instanceof Term.Ref r) {
            Set<Integer> headVars = new HashSet<>();
            termVars(r.head(), headVars);
            boolean headSafe = safe.containsAll(headVars) || out.containsAll(headVars) && !headVars.isEmpty();
            refOutputs(r.head(), safe, out);
            for (Term p : r.path()) {
                if (headSafe) {
                    patternVars(p, out);
                }
                refOutputs(p, safe, out);
            }
        } else if (t instanceof Term.ArrayTerm a) {
            a.items().forEach(x -> refOutputs(x, safe, out));
        } else if (t instanceof Term.SetTerm s) {
            s.items().forEach(x -> refOutputs(x, safe, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(x -> refOutputs(x, safe, out));
            o.values().forEach(x -> refOutputs(x, safe, out));
        } else if (t instanceof Term.Call c) {
            c.args().forEach(x -> refOutputs(x, safe, out));
        }
    }

    /** Vars that unification against a value would bind (not inside refs or calls). */
    private static void patternVars(Term t, Set<Integer> out) {
        if (t instanceof Term.Var v) {
            if (v.slot() >= 0) {
                out.add(v.slot());
            }
        } else if (t instanceof Term.ArrayTerm a) {
            a.items().forEach(x -> patternVars(x, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.values().forEach(x -> patternVars(x, out));
        }
    }

    private void unifyOutputs(Term a, Term b, Set<Integer> safe, Set<Integer> out) {
        Set<Integer> avail = new HashSet<>(safe);
        avail.addAll(out);
        if (a instanceof Term.ArrayTerm x
                && b instanceof Term.ArrayTerm y
                && x.items().size() == y.items().size()) {
            for (int i = 0; i < x.items().size(); i++) {
                unifyOutputs(x.items().get(i), y.items().get(i), safe, out);
            }
            return;
        }
        if (a instanceof Term.ObjectTerm x
                && b instanceof Term.ObjectTerm y
                && x.keys().size() == y.keys().size()) {
            for (int i = 0; i < x.keys().size(); i++) {
                for (int j = 0; j < y.keys().size(); j++) {
                    if (sameKey(x.keys().get(i), y.keys().get(j))) {
                        unifyOutputs(x.values().get(i), y.values().get(j), safe, out);
                    }
                }
            }
            return;
        }
        Set<Integer> va = new HashSet<>();
        termVars(a, va);
        Set<Integer> vb = new HashSet<>();
        termVars(b, vb);
        if (avail.containsAll(vb)) {
            patternVars(a, out);
        }
        if (avail.containsAll(va)) {
            patternVars(b, out);
        }
    }

    /** Object keys that unify with each other whatever the values: equal scalars or the same variable. */
    private static boolean sameKey(Term a, Term b) {
        if (a instanceof Term.Scalar sa && b instanceof Term.Scalar sb) {
            return sa.value().equals(sb.value());
        }
        if (a instanceof Term.Var va && b instanceof Term.Var vb) {
            return va.slot() >= 0 ? va.slot() == vb.slot() : va.name().equals(vb.name());
        }
        return a.equals(b);
    }

    // ------------------------------------------------------------------ nested bodies

    private Expr rewriteExpr(Expr e, Set<Integer> safe) {
        Expr.Kind k = e.kind();
        Set<Integer> s = new HashSet<>(safe);
        if (!e.negated()) {
            s.addAll(outputs(e, safe));
        }
        Expr.Kind nk = k;
        if (k instanceof Expr.TermExpr te) {
            nk = new Expr.TermExpr(rewriteNested(te.term(), s));
        } else if (k instanceof Expr.SomeIn si) {
            nk = new Expr.SomeIn(si.key(), si.value(), rewriteNested(si.collection(), s));
        } else if (k instanceof Expr.Logical lg) {
            List<Body> ops = new ArrayList<>();
            Set<Integer> saveLast = lastSafe;
            for (Body b : lg.operands()) {
                ops.add(reorder(b, s, Set.of()));
            }
            lastSafe = saveLast;
            Expr.Logical nl = new Expr.Logical(lg.or(), ops);
            ranges.put(nl, ranges.get(lg));
            nk = nl;
        } else if (k instanceof Expr.Every ev) {
            Set<Integer> inner = new HashSet<>(s);
            if (ev.key() != null) {
                vars(ev.key(), inner);
            }
            vars(ev.value(), inner);
            Set<Integer> saveLast = lastSafe;
            Body b = reorder(ev.body(), inner, Set.of());
            lastSafe = saveLast;
            Expr.Every ne = new Expr.Every(ev.key(), ev.value(), rewriteNested(ev.domain(), s), b);
            ranges.put(ne, ranges.get(ev));
            nk = ne;
        }
        List<Expr.With> ws = new ArrayList<>();
        for (Expr.With w : e.withs()) {
            ws.add(new Expr.With(w.loc(), w.target(), rewriteNested(w.value(), s)));
        }
        return new Expr(e.loc(), e.negated(), nk, ws);
    }

    /** Reorders the bodies of comprehensions inside a term, given the vars bound around it. */
    Term rewriteNested(Term t, Set<Integer> safe) {
        if (t instanceof Term.Ref r) {
            List<Term> path = new ArrayList<>();
            r.path().forEach(x -> path.add(rewriteNested(x, safe)));
            return new Term.Ref(r.loc(), rewriteNested(r.head(), safe), path);
        }
        if (t instanceof Term.ArrayTerm a) {
            return new Term.ArrayTerm(a.loc(), list(a.items(), safe));
        }
        if (t instanceof Term.SetTerm a) {
            return new Term.SetTerm(a.loc(), list(a.items(), safe));
        }
        if (t instanceof Term.ObjectTerm o) {
            return new Term.ObjectTerm(o.loc(), list(o.keys(), safe), list(o.values(), safe));
        }
        if (t instanceof Term.Call c) {
            return new Term.Call(c.loc(), c.name(), list(c.args(), safe), c.function());
        }
        Set<Integer> saveLast = lastSafe;
        try {
            if (t instanceof Term.ArrayCompr c) {
                Set<Integer> head = new HashSet<>();
                termVars(c.head(), head);
                Body b = reorder(c.body(), safe, head);
                checkHead(c.head(), c);
                Term out = new Term.ArrayCompr(c.loc(), rewriteNested(c.head(), lastSafe), b);
                ranges.put(out, ranges.get(t));
                return out;
            }
            if (t instanceof Term.SetCompr c) {
                Set<Integer> head = new HashSet<>();
                termVars(c.head(), head);
                Body b = reorder(c.body(), safe, head);
                checkHead(c.head(), c);
                Term out = new Term.SetCompr(c.loc(), rewriteNested(c.head(), lastSafe), b);
                ranges.put(out, ranges.get(t));
                return out;
            }
            if (t instanceof Term.ObjectCompr c) {
                Set<Integer> head = new HashSet<>();
                termVars(c.key(), head);
                termVars(c.value(), head);
                Body b = reorder(c.body(), safe, head);
                checkHead(c.key(), c);
                checkHead(c.value(), c);
                Set<Integer> s = lastSafe;
                Term out = new Term.ObjectCompr(c.loc(), rewriteNested(c.key(), s), rewriteNested(c.value(), s), b);
                ranges.put(out, ranges.get(t));
                return out;
            }
        } finally {
            lastSafe = saveLast;
        }
        return t;
    }

    private void checkHead(Term head, Term compr) {
        Set<Integer> vs = new HashSet<>();
        termVars(head, vs);
        for (Integer v : vs) {
            if (!lastSafe.contains(v)) {
                String n = names.getOrDefault(v, "?");
                throw new RegoException(
                        "rego_compile_error", "var " + (n.startsWith("$") ? "_" : n) + " is unsafe", compr.loc());
            }
        }
    }

    private List<Term> list(List<Term> ts, Set<Integer> safe) {
        List<Term> out = new ArrayList<>(ts.size());
        for (Term x : ts) {
            out.add(rewriteNested(x, safe));
        }
        return out;
    }
}
