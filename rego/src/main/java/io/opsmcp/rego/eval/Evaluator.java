package io.opsmcp.rego.eval;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.builtins.Builtin;
import io.opsmcp.rego.builtins.BuiltinConflictError;
import io.opsmcp.rego.builtins.BuiltinContext;
import io.opsmcp.rego.builtins.BuiltinError;
import io.opsmcp.rego.builtins.BuiltinFunction;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.builtins.BuiltinTypeError;
import io.opsmcp.rego.compiler.CompiledRule;
import io.opsmcp.rego.compiler.Operators;
import io.opsmcp.rego.compiler.RuleNode;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.DeferredValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Top-down evaluation with backtracking (after OPA's {@code topdown/eval.go}). Continuations return
 * true to stop the enumeration. One instance evaluates one query: it holds the per-query state
 * (bindings live in frames, documents of complete rules are memoized per {@code with} scope).
 * Not thread-safe; the compiled rule tree it reads is immutable and shared.
 */
public final class Evaluator implements BuiltinContext {
    private static final Object UNDEFINED = new Object();

    /*
     * The continuations below are created as anonymous classes, not lambdas, on every evaluation path: the server
     * runs C1 only (-XX:TieredStopAtLevel=1), and C1 on JDK 17 creates a capturing lambda through its call site's
     * method handle and Unsafe.allocateInstance, a call into the VM (~55 ns against ~5 ns for `new`); a decision
     * creates about a hundred (10 % of the shipped decision's samples; server/BENCHMARKS.md, fifth pass).
     */

    /** Continuation after an expression succeeded; returns true to stop. */
    @FunctionalInterface
    interface Cont {
        boolean next();
    }

    /** Continuation receiving a value; returns true to stop. */
    @FunctionalInterface
    interface VCont {
        boolean next(Value v);
    }

    /** What {@code with} modifiers changed: input, data overrides, function mocks and caches. */
    private static final class State {
        final Value input;
        final DataOverride data;
        final Map<String, Object> mocks;
        /**
         * Documents by {@link RuleNode#id()} (UNDEFINED when undefined) in the scope of the whole evaluation; nodes
         * outside it, and every node in a with scope (made with {@code nodes} 0), go to {@link #other}.
         */
        final Object[] cache;

        Map<RuleNode, Object> other;

        State(Value input, DataOverride data, Map<String, Object> mocks, int nodes) {
            this.input = input;
            this.data = data;
            this.mocks = mocks;
            this.cache = new Object[nodes];
        }

        Object cached(RuleNode node) {
            int id = node.id();
            if (id >= 0 && id < cache.length) {
                return cache[id];
            }
            return other == null ? null : other.get(node);
        }

        void cache(RuleNode node, Object doc) {
            int id = node.id();
            if (id >= 0 && id < cache.length) {
                cache[id] = doc;
            } else {
                if (other == null) {
                    other = new HashMap<>();
                }
                other.put(node, doc);
            }
        }
    }

    /** A tree of data paths replaced by {@code with data... as}. */
    private static final class DataOverride {
        final Map<Value, DataOverride> children = new HashMap<>();
        Value value;

        DataOverride copy() {
            DataOverride o = new DataOverride();
            o.value = value;
            children.forEach((k, v) -> o.children.put(k, v.copy()));
            return o;
        }
    }

    private final RuleNode root;
    /** Where constant data refs lead in root over baseData (null: walk every time); used on the fast path only. */
    private final RefLinks links;

    private final Value baseData;
    private final BuiltinRegistry builtins;
    private final Map<List<String>, RuleNode> functionIndex;
    private final EvalOptions options;
    /** options.fastPath(), read on every expression. */
    private final boolean fast;

    private final Map<Object, Object> queryCache = new HashMap<>();
    /** The number of numbered rule-tree nodes ({@link RuleNode#id()} below it): the size of per-node arrays. */
    private final int nodes;
    /** Documents being computed, by node id (recursion check); unnumbered nodes in {@link #inProgressOther}. */
    private final boolean[] inProgress;

    private final Set<RuleNode> inProgressOther = new HashSet<>();
    /** Call sites share their path list, so identity lookups avoid hashing lists on every call. */
    private final Map<List<String>, RuleNode> functionCache = new java.util.IdentityHashMap<>(8);

    private State state;
    private int completeDepth;
    private int functionDepth;
    /** Set just before a call evaluated as a boolean expression (OPA words its conflicts differently). */
    private boolean boolUse;

    private long steps;

    /**
     * An evaluator of the rule tree {@code root} whose nodes are numbered below {@code nodes} (see {@link
     * RuleNode#id()}; 0 when they are not numbered) over {@code baseData} and {@code input} (null for none);
     * {@code links} (null for none) must have been made for the same root and base data.
     */
    public Evaluator(
            RuleNode root,
            int nodes,
            RefLinks links,
            Value baseData,
            BuiltinRegistry builtins,
            Map<List<String>, RuleNode> functionIndex,
            Value input,
            EvalOptions options) {
        this.root = root;
        this.links = links;
        this.nodes = nodes;
        this.inProgress = new boolean[nodes];
        this.baseData = baseData;
        this.builtins = builtins;
        this.functionIndex = functionIndex;
        this.options = options;
        this.fast = options.fastPath();
        this.state = new State(input, null, Map.of(), nodes);
    }

    // ------------------------------------------------------------------ BuiltinContext

    @Override
    public long nowNs() {
        return options.nowNs();
    }

    @Override
    public Map<Object, Object> queryCache() {
        return queryCache;
    }

    @Override
    public void print(String line) {
        options.print().accept(line);
    }

    @Override
    public boolean strictBuiltinErrors() {
        return options.strictBuiltinErrors();
    }

    @Override
    public ZoneId localZone() {
        return options.zone();
    }

    // ------------------------------------------------------------------ queries

    /** Evaluates a compiled query; calls {@code onResult} with the frame of each solution. */
    public void query(Body body, int slots, java.util.function.Predicate<Value[]> onResult) {
        Value[] frame = new Value[slots];
        evalBody(body, 0, frame, new Cont() {
            @Override
            public boolean next() {
                return onResult.test(frame);
            }
        });
    }

    /** Evaluates the document at a data path (no iteration); empty when undefined. */
    public Optional<Value> document(List<Value> path) {
        return document(documentRef(path));
    }

    /** The ref {@link #document(Term.Ref)} evaluates for a data path (callers may keep it: terms are immutable). */
    public static Term.Ref documentRef(List<Value> path) {
        List<Term> terms = new ArrayList<>();
        for (Value v : path) {
            terms.add(new Term.Scalar(Location.NONE, v));
        }
        return new Term.Ref(Location.NONE, new Term.Var(Location.NONE, "data", -1), List.copyOf(terms));
    }

    /** Evaluates the document at a ref on {@code data} made by {@link #documentRef} (no iteration); empty when undefined. */
    public Optional<Value> document(Term.Ref ref) {
        Value[] out = new Value[1];
        evalTerm(ref, new Value[0], new VCont() {
            @Override
            public boolean next(Value v) {
                out[0] = v;
                return true;
            }
        });
        return Optional.ofNullable(out[0]);
    }

    // ------------------------------------------------------------------ bodies and expressions

    private boolean evalBody(Body b, int i, Value[] f, Cont k) {
        Expr[] exprs = b.items();
        while (i < exprs.length) {
            Expr e = exprs[i];
            int r = fast ? directExpr(e, f) : SLOW;
            if (r == SLOW) {
                int next = i + 1;
                return evalExpr(e, f, new Cont() {
                    @Override
                    public boolean next() {
                        return evalBody(b, next, f, k);
                    }
                });
            }
            if (r == FAIL) {
                return false;
            }
            if (r >= BOUND) {
                int slot = r - BOUND;
                try {
                    return evalBody(b, i + 1, f, k);
                } finally {
                    f[slot] = null;
                }
            }
            i++;
        }
        return k.next();
    }

    // Outcomes of directExpr: SLOW (needs the continuation path), FAIL, PASS, or BOUND + slot when the
    // expression bound that one frame slot (the caller unbinds it when backtracking).
    private static final int SLOW = -1;
    private static final int FAIL = 0;
    private static final int PASS = 1;
    private static final int BOUND = 2;

    /**
     * Evaluates an expression that has at most one solution without allocating continuations: no
     * {@code with}, no iteration, terms that are scalars, bound variables or iteration-free refs, and
     * calls of functions, operators and simple built-ins. Same order of evaluation and the same
     * results as {@link #evalExpr}; returns SLOW, before doing anything, for every other shape.
     */
    private int directExpr(Expr e, Value[] f) {
        if (!e.plain() || !(e.kind() instanceof Expr.TermExpr te)) {
            return SLOW;
        }
        Term t = te.term();
        int r;
        if (t instanceof Term.Call c) {
            int op = c.operator();
            if (op == Operators.EQ || op == Operators.ASSIGN) {
                Term[] a = c.argArray();
                r = directUnify(e, a[0], a[1], f);
            } else {
                r = directCallExpr(e, c, f);
            }
        } else if (isDirect(t, f)) {
            step(e.loc());
            Value v = direct(t, f);
            r = v != null && v != BooleanValue.FALSE ? PASS : FAIL;
        } else {
            return SLOW;
        }
        if (r == SLOW || !e.negated()) {
            return r;
        }
        if (r >= BOUND) {
            f[r - BOUND] = null;
            return FAIL;
        }
        return r == PASS ? FAIL : PASS;
    }

    private int directUnify(Expr e, Term a, Term b, Value[] f) {
        Term var;
        Term other;
        if (a instanceof Term.Var va && va.slot() >= 0 && f[va.slot()] == null) {
            var = a;
            other = b;
        } else if (b instanceof Term.Var vb && vb.slot() >= 0 && f[vb.slot()] == null) {
            var = b;
            other = a;
        } else if (isDirect(a, f) && isDirect(b, f)) {
            step(e.loc());
            Value x = direct(a, f);
            if (x == null) {
                return FAIL;
            }
            Value y = direct(b, f);
            return y != null && x.equals(y) ? PASS : FAIL;
        } else {
            return SLOW;
        }
        if (!isDirect(other, f)) {
            return SLOW;
        }
        step(e.loc());
        Value v = direct(other, f);
        if (v == null) {
            return FAIL;
        }
        int slot = ((Term.Var) var).slot();
        f[slot] = v;
        return BOUND + slot;
    }

    private int directCallExpr(Expr e, Term.Call c, Value[] f) {
        int op = c.operator();
        if (!state.mocks.isEmpty() || op == Operators.PRINT) {
            return SLOW;
        }
        // a function, an operator or a simple built-in, each resolved at its call site once (not by name per call)
        Builtin builtin = null;
        int arity;
        if (c.function() != null) {
            arity = arity(c);
        } else if (op >= 0) {
            arity = Operators.arity(op);
        } else {
            builtin = builtin(c);
            if (builtin == null || !(builtin.impl() instanceof BuiltinFunction.Simple)) {
                return SLOW;
            }
            arity = builtin.arity();
        }
        boolean operator = op >= 0;
        Term[] args = c.argArray();
        if (arity >= 0 && args.length == arity + 1) {
            if (!(args[arity] instanceof Term.Var out) || out.slot() < 0 || !directArgs(args, arity, f)) {
                return SLOW;
            }
            step(e.loc());
            Value v = directCall(c, operator, builtin, arity, f);
            if (v == null) {
                return FAIL;
            }
            Value cur = f[out.slot()];
            if (cur != null) {
                return cur.equals(v) ? PASS : FAIL;
            }
            f[out.slot()] = v;
            return BOUND + out.slot();
        }
        if (!directArgs(args, args.length, f)) {
            return SLOW;
        }
        step(e.loc());
        boolUse = true;
        Value v = directCall(c, operator, builtin, args.length, f);
        return v != null && v != BooleanValue.FALSE ? PASS : FAIL;
    }

    private boolean directArgs(Term[] args, int n, Value[] f) {
        for (int i = 0; i < n; i++) {
            if (!isDirect(args[i], f)) {
                return false;
            }
        }
        return true;
    }

    /** Evaluates the first n (direct) arguments in order and calls; null when an argument or the result is undefined. */
    private Value directCall(Term.Call c, boolean operator, Builtin builtin, int n, Value[] f) {
        Value[] vals = new Value[n];
        Term[] args = c.argArray();
        for (int i = 0; i < n; i++) {
            Value v = direct(args[i], f);
            if (v == null) {
                return null;
            }
            vals[i] = v;
        }
        if (operator) {
            // as callResolved, without the list
            try {
                return Arith.apply(c.operator(), vals);
            } catch (RuntimeException e) {
                return builtinFailure(c.name(), c.loc(), e);
            }
        }
        return callResolved(c, false, builtin, Arrays.asList(vals));
    }

    /**
     * Whether {@link #direct} evaluates {@code t}: a scalar, a bound variable, or a ref on {@code data},
     * {@code input} or a bound variable whose path elements are themselves direct (no iteration).
     */
    private boolean isDirect(Term t, Value[] f) {
        if (t instanceof Term.Scalar) {
            return true;
        }
        if (t instanceof Term.Var v) {
            return v.slot() >= 0 && f[v.slot()] != null;
        }
        int[] slots;
        if (!(t instanceof Term.Ref r) || (slots = r.directSlots()) == null) {
            return false;
        }
        // the shape was checked when the ref was made; what is left is whether its variables are bound
        for (int slot : slots) {
            if (f[slot] == null) {
                return false;
            }
        }
        return true;
    }

    /** The single value of a term {@link #isDirect} accepted, or null when undefined (as evalTerm/evalRef). */
    private Value direct(Term t, Value[] f) {
        if (t instanceof Term.Scalar s) {
            return s.value();
        }
        if (t instanceof Term.Var v) {
            return f[v.slot()];
        }
        Term.Ref r = (Term.Ref) t;
        Term.Var head = (Term.Var) r.head();
        if (head.slot() >= 0) {
            return directPath(f[head.slot()], r.pathArray(), 0, f, false);
        }
        // == on an interned name (Term.Var's constructor interns it; String.equals is a call under C1)
        if (head.name() == "input") {
            return state.input == null ? null : directPath(state.input, r.pathArray(), 0, f, false);
        }
        if (state.data == null && links != null) {
            // no with data… override in this scope: resume the walk where the ref's constant prefix leads
            RefLinks.Link l = links.get(r);
            return directData(r.pathArray(), l.index(), l.node(), l.base(), null, f);
        }
        return directData(r.pathArray(), 0, root, baseData, state.data, f);
    }

    /** evalPath (or evalStorePath when {@code store}) for a path without iteration. */
    private Value directPath(Value v, Term[] path, int i, Value[] f, boolean store) {
        for (; i < path.length; i++) {
            Value key = direct(path[i], f);
            if (key == null) {
                return null;
            }
            Value child = lookup(v, key);
            if (store && child == null && key instanceof NumberValue && v instanceof ObjectValue o) {
                child = o.get(StringValue.of(key.toString()));
            }
            if (child == null) {
                return null;
            }
            v = child;
        }
        return v;
    }

    /** evalData for a path without iteration. */
    private Value directData(Term[] path, int i, RuleNode node, Value base, DataOverride ov, Value[] f) {
        if (ov != null && ov.value != null) {
            return directPath(ov.value, path, i, f, false);
        }
        if (node == null) {
            Value b = ov != null ? applyOverrides(base, ov) : base;
            return b == null ? null : directPath(b, path, i, f, true);
        }
        if (node.hasRules()) {
            if (node.isFunction()) {
                return null;
            }
            Value doc = document(node, base, ov);
            return doc == null ? null : directPath(doc, path, i, f, false);
        }
        if (i == path.length) {
            return document(node, base, ov);
        }
        Value key = direct(path[i], f);
        if (key == null) {
            return null;
        }
        RuleNode child = node.child(key);
        Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
        if (childBase == null && key instanceof NumberValue && base instanceof ObjectValue o) {
            childBase = o.get(StringValue.of(key.toString()));
        }
        DataOverride childOv = ov == null ? null : ov.children.get(key);
        if (child == null && childBase == null && childOv == null) {
            return null;
        }
        return directData(path, i + 1, child, childBase, childOv, f);
    }

    private void step(Location loc) {
        if ((++steps & 1023) == 0
                && options.deadlineNanoTime() != 0
                && System.nanoTime() > options.deadlineNanoTime()) {
            throw new RegoException("eval_cancel_error", "evaluation deadline exceeded", loc);
        }
    }

    private boolean evalExpr(Expr e, Value[] f, Cont k) {
        step(e.loc());
        if (!e.plain()) {
            return evalWith(e, f, k);
        }
        if (e.negated()) {
            boolean found = evalExprKind(e, f, new Cont() {
                @Override
                public boolean next() {
                    return true;
                }
            });
            return !found && k.next();
        }
        return evalExprKind(e, f, k);
    }

    private boolean evalExprKind(Expr e, Value[] f, Cont k) {
        Expr.Kind kind = e.kind();
        if (kind instanceof Expr.TermExpr te) {
            Term t = te.term();
            if (t instanceof Term.Call c) {
                int op = c.operator();
                if (op == Operators.EQ || op == Operators.ASSIGN) {
                    return unify(c.argArray()[0], c.argArray()[1], f, k);
                }
                int arity = arity(c);
                if (arity >= 0 && c.args().size() == arity + 1) {
                    Term out = c.args().get(arity);
                    return evalCall(c, arity, f, new VCont() {
                        @Override
                        public boolean next(Value v) {
                            return unifyValue(out, v, f, k);
                        }
                    });
                }
                boolUse = true;
                return evalCall(c, c.args().size(), f, new VCont() {
                    @Override
                    public boolean next(Value v) {
                        return v != BooleanValue.FALSE && k.next();
                    }
                });
            }
            return evalTerm(t, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    return v != BooleanValue.FALSE && k.next();
                }
            });
        }
        if (kind instanceof Expr.SomeVars) {
            return k.next();
        }
        if (kind instanceof Expr.SomeIn si) {
            return evalTerm(si.collection(), f, new VCont() {
                @Override
                public boolean next(Value coll) {
                    return iterate(coll, new Pairs() {
                        @Override
                        public boolean next(Value key, Value val) {
                            return (si.key() == null
                                    ? unifyValue(si.value(), val, f, k)
                                    : unifyValue(si.key(), key, f, new Cont() {
                                        @Override
                                        public boolean next() {
                                            return unifyValue(si.value(), val, f, k);
                                        }
                                    }));
                        }
                    });
                }
            });
        }
        if (kind instanceof Expr.Logical lg) {
            return evalLogical(lg, f, k);
        }
        return evalEvery((Expr.Every) kind, f, k);
    }

    // Kept out of evalExprKind so that the hot method stays small enough for the JIT to inline it.
    private boolean evalLogical(Expr.Logical lg, Value[] f, Cont k) {
        for (Body b : lg.operands()) {
            if (evalBody(b, 0, f, new Cont() {
                        @Override
                        public boolean next() {
                            return true;
                        }
                    })
                    == lg.or()) {
                return lg.or() && k.next();
            }
        }
        return !lg.or() && k.next();
    }

    private boolean evalEvery(Expr.Every ev, Value[] f, Cont k) {
        return evalTerm(ev.domain(), f, new VCont() {
            @Override
            public boolean next(Value dom) {
                // OPA: a domain that is not a collection makes `every` undefined, not vacuously true
                if (!(dom instanceof ArrayValue || dom instanceof ObjectValue || dom instanceof SetValue)) {
                    return false;
                }
                boolean all = !iterate(dom, new Pairs() {
                    @Override
                    public boolean next(Value key, Value val) {
                        Cont body = new Cont() {
                            @Override
                            public boolean next() {
                                return evalBody(ev.body(), 0, f, new Cont() {
                                    @Override
                                    public boolean next() {
                                        return true;
                                    }
                                });
                            }
                        };
                        boolean ok = ev.key() == null
                                ? unifyValue(ev.value(), val, f, body)
                                : unifyValue(ev.key(), key, f, new Cont() {
                                    @Override
                                    public boolean next() {
                                        return unifyValue(ev.value(), val, f, body);
                                    }
                                });
                        return !ok;
                    }
                });
                return all && k.next();
            }
        });
    }

    /** Calls {@code each} with (key, value) of every element; stops when it returns true. */
    private interface Pairs {
        boolean next(Value key, Value value);
    }

    private static boolean iterate(Value coll, Pairs each) {
        if (coll instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                if (each.next(NumberValue.of(i), a.get(i))) {
                    return true;
                }
            }
        } else if (coll instanceof ObjectValue o) {
            for (Value key : o.keys()) {
                if (each.next(key, o.get(key))) {
                    return true;
                }
            }
        } else if (coll instanceof SetValue s) {
            for (Value m : s.elements()) {
                if (each.next(m, m)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int arity(Term.Call c) {
        if (c.function() != null) {
            RuleNode n = function(c);
            CompiledRule r = n.rules().isEmpty() ? n.defaultRule() : n.rules().get(0);
            return r == null ? -1 : r.args().size();
        }
        if (c.operator() >= 0) {
            return Operators.arity(c.operator());
        }
        Builtin b = builtin(c);
        return b == null ? -1 : b.arity();
    }

    /** The built-in a call (of no function, no operator) names in this evaluator's registry, or null (see Term.Site). */
    private Builtin builtin(Term.Call c) {
        Object b = c.site().get(builtins);
        if (b != null) {
            return (Builtin) b;
        }
        Builtin found = builtins.find(c.name());
        if (found != null) {
            c.site().set(builtins, found);
        }
        return found;
    }

    /** The rule node of a call of a function ({@code c.function()} not null), resolved at its call site once. */
    private RuleNode function(Term.Call c) {
        Object n = c.site().get(functionIndex);
        if (n != null) {
            return (RuleNode) n;
        }
        RuleNode found = function(c.function());
        c.site().set(functionIndex, found);
        return found;
    }

    private RuleNode function(List<String> path) {
        RuleNode n = functionCache.get(path);
        if (n != null) {
            return n;
        }
        n = functionIndex.get(path);
        if (n != null) {
            functionCache.put(path, n);
        }
        if (n == null) {
            throw new RegoException(
                    "eval_internal_error", "unknown function data." + String.join(".", path), Location.NONE);
        }
        return n;
    }

    // ------------------------------------------------------------------ with

    private boolean evalWith(Expr e, Value[] f, Cont k) {
        Value input = state.input;
        DataOverride data = state.data;
        Map<String, Object> mocks = state.mocks;
        for (Expr.With w : e.withs()) {
            Term target = w.target();
            Object replacement;
            if (w.value() instanceof Term.FuncRef fr) {
                replacement = fr;
            } else {
                Value v = evalSingle(w.value(), f);
                if (v == null) {
                    return false;
                }
                replacement = v;
            }
            if (target instanceof Term.FuncRef fr) {
                if (mocks == state.mocks) {
                    mocks = new HashMap<>(mocks);
                }
                mocks.put(fr.name(), replacement);
                continue;
            }
            Term.Ref ref = (Term.Ref) target;
            List<Value> path = new ArrayList<>();
            for (Term p : ref.path()) {
                Value pv = evalSingle(p, f);
                if (pv == null) {
                    return false;
                }
                path.add(pv);
            }
            Value v = (Value) replacement;
            if (((Term.Var) ref.head()).name().equals("input")) {
                input = path.isEmpty() ? v : upsert(input, path, 0, v);
            } else {
                data = data == null ? new DataOverride() : (data == state.data ? data.copy() : data);
                DataOverride node = data;
                for (Value p : path) {
                    node = node.children.computeIfAbsent(p, x -> new DataOverride());
                }
                node.value = v;
                node.children.clear();
            }
        }
        State saved = state;
        // a with scope caches in a map: an array of every node per with (possibly in a loop) costs more
        State inner = new State(input, data, mocks, 0);
        Expr plain = new Expr(e.loc(), e.negated(), e.kind(), List.of());
        state = inner;
        try {
            return evalExpr(plain, f, new Cont() {
                @Override
                public boolean next() {
                    state = saved;
                    try {
                        return k.next();
                    } finally {
                        state = inner;
                    }
                }
            });
        } finally {
            state = saved;
        }
    }

    /**
     * {@code base} with the value at {@code path} (from {@code i}) replaced. Reads only the members on the path (and
     * not the last one), so a deferred input member elsewhere stays deferred ({@link ObjectValue#with}).
     */
    private static Value upsert(Value base, List<Value> path, int i, Value v) {
        if (i == path.size()) {
            return v;
        }
        Value key = path.get(i);
        ObjectValue o = base instanceof ObjectValue ob ? ob : ObjectValue.EMPTY;
        Value child = i + 1 == path.size() ? null : o.get(key);
        return o.with(key, upsert(child, path, i + 1, v));
    }

    private Value evalSingle(Term t, Value[] f) {
        if (fast && isDirect(t, f)) {
            return direct(t, f);
        }
        Value[] out = new Value[1];
        evalTerm(t, f, new VCont() {
            @Override
            public boolean next(Value v) {
                out[0] = v;
                return true;
            }
        });
        return out[0];
    }

    // ------------------------------------------------------------------ unification

    private boolean isPattern(Term t, Value[] f) {
        if (t instanceof Term.Var v) {
            return v.slot() >= 0 && f[v.slot()] == null;
        }
        if (t instanceof Term.ArrayTerm a) {
            for (Term x : a.items()) {
                if (isPattern(x, f)) {
                    return true;
                }
            }
        } else if (t instanceof Term.ObjectTerm o) {
            for (Term x : o.values()) {
                if (isPattern(x, f)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean unify(Term a, Term b, Value[] f, Cont k) {
        if (a instanceof Term.Var va && va.slot() >= 0 && f[va.slot()] == null) {
            return evalTerm(b, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    return unifyValue(a, v, f, k);
                }
            });
        }
        if (b instanceof Term.Var vb && vb.slot() >= 0 && f[vb.slot()] == null) {
            return evalTerm(a, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    return unifyValue(b, v, f, k);
                }
            });
        }
        if (a instanceof Term.ArrayTerm x && b instanceof Term.ArrayTerm y) {
            if (x.items().size() != y.items().size()) {
                return false;
            }
            return unifyPairs(x.items(), y.items(), 0, f, k);
        }
        if (a instanceof Term.ObjectTerm x && b instanceof Term.ObjectTerm y && (isPattern(a, f) && isPattern(b, f))) {
            return unifyObjectTerms(x, y, f, k);
        }
        if (isPattern(a, f)) {
            return evalTerm(b, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    return unifyValue(a, v, f, k);
                }
            });
        }
        if (isPattern(b, f)) {
            return evalTerm(a, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    return unifyValue(b, v, f, k);
                }
            });
        }
        return evalTerm(a, f, new VCont() {
            @Override
            public boolean next(Value x) {
                return evalTerm(b, f, new VCont() {
                    @Override
                    public boolean next(Value y) {
                        return x.equals(y) && k.next();
                    }
                });
            }
        });
    }

    private boolean unifyObjectTerms(Term.ObjectTerm x, Term.ObjectTerm y, Value[] f, Cont k) {
        if (x.keys().size() != y.keys().size()) {
            return false;
        }
        List<Term> xs = new ArrayList<>();
        List<Term> ys = new ArrayList<>();
        for (int i = 0; i < x.keys().size(); i++) {
            Value kx = evalSingle(x.keys().get(i), f);
            int match = -1;
            for (int j = 0; j < y.keys().size() && kx != null; j++) {
                if (kx.equals(evalSingle(y.keys().get(j), f))) {
                    match = j;
                }
            }
            if (match < 0) {
                return false;
            }
            xs.add(x.values().get(i));
            ys.add(y.values().get(match));
        }
        return unifyPairs(xs, ys, 0, f, k);
    }

    private boolean unifyPairs(List<Term> xs, List<Term> ys, int i, Value[] f, Cont k) {
        if (i == xs.size()) {
            return k.next();
        }
        return unify(xs.get(i), ys.get(i), f, new Cont() {
            @Override
            public boolean next() {
                return unifyPairs(xs, ys, i + 1, f, k);
            }
        });
    }

    private boolean unifyValue(Term p, Value v, Value[] f, Cont k) {
        if (p instanceof Term.Var var) {
            int s = var.slot();
            if (s < 0) {
                return evalTerm(p, f, new VCont() {
                    @Override
                    public boolean next(Value x) {
                        return x.equals(v) && k.next();
                    }
                });
            }
            Value cur = f[s];
            if (cur != null) {
                return cur.equals(v) && k.next();
            }
            f[s] = v;
            try {
                return k.next();
            } finally {
                f[s] = null;
            }
        }
        if (p instanceof Term.Scalar sc) {
            return sc.value().equals(v) && k.next();
        }
        if (p instanceof Term.ArrayTerm a && isPattern(p, f)) {
            if (!(v instanceof ArrayValue arr) || arr.size() != a.items().size()) {
                return false;
            }
            return unifyElems(a.items(), arr, 0, f, k);
        }
        if (p instanceof Term.ObjectTerm o && isPattern(p, f)) {
            if (!(v instanceof ObjectValue obj) || obj.size() != o.keys().size()) {
                return false;
            }
            return unifyObject(o, obj, 0, f, k);
        }
        return evalTerm(p, f, new VCont() {
            @Override
            public boolean next(Value x) {
                return x.equals(v) && k.next();
            }
        });
    }

    private boolean unifyElems(List<Term> ps, ArrayValue arr, int i, Value[] f, Cont k) {
        if (i == ps.size()) {
            return k.next();
        }
        return unifyValue(ps.get(i), arr.get(i), f, new Cont() {
            @Override
            public boolean next() {
                return unifyElems(ps, arr, i + 1, f, k);
            }
        });
    }

    private boolean unifyObject(Term.ObjectTerm o, ObjectValue obj, int i, Value[] f, Cont k) {
        if (i == o.keys().size()) {
            return k.next();
        }
        return evalTerm(o.keys().get(i), f, new VCont() {
            @Override
            public boolean next(Value key) {
                Value v = obj.get(key);
                return v != null
                        && unifyValue(o.values().get(i), v, f, new Cont() {
                            @Override
                            public boolean next() {
                                return unifyObject(o, obj, i + 1, f, k);
                            }
                        });
            }
        });
    }

    // ------------------------------------------------------------------ terms

    boolean evalTerm(Term t, Value[] f, VCont k) {
        if (t instanceof Term.Scalar s) {
            return k.next(s.value());
        }
        if (t instanceof Term.Var v) {
            Value val = v.slot() >= 0 ? f[v.slot()] : null;
            if (val == null) {
                throw new RegoException("rego_unsafe_var_error", "var " + v + " is unsafe", v.loc());
            }
            return k.next(val);
        }
        if (t instanceof Term.Ref r) {
            return evalRef(r, f, k);
        }
        if (t instanceof Term.ArrayTerm a) {
            return evalList(a.items(), 0, new Value[a.items().size()], f, new ListCont() {
                @Override
                public boolean next(Value[] vals) {
                    return k.next(ArrayValue.of(vals));
                }
            });
        }
        if (t instanceof Term.SetTerm s) {
            return evalList(s.items(), 0, new Value[s.items().size()], f, new ListCont() {
                @Override
                public boolean next(Value[] vals) {
                    return k.next(SetValue.of(vals));
                }
            });
        }
        if (t instanceof Term.ObjectTerm o) {
            List<Term> all = new ArrayList<>(o.keys());
            all.addAll(o.values());
            int n = o.keys().size();
            return evalList(all, 0, new Value[all.size()], f, new ListCont() {
                @Override
                public boolean next(Value[] vals) {
                    ObjectValue.Builder b = ObjectValue.builder();
                    for (int i = 0; i < n; i++) {
                        b.put(vals[i], vals[n + i]);
                    }
                    return k.next(b.build());
                }
            });
        }
        if (t instanceof Term.ArrayCompr c) {
            List<Value> out = new ArrayList<>();
            evalBody(c.body(), 0, f, new Cont() {
                @Override
                public boolean next() {
                    return evalTerm(c.head(), f, new VCont() {
                        @Override
                        public boolean next(Value v) {
                            out.add(v);
                            return false;
                        }
                    });
                }
            });
            return k.next(ArrayValue.of(out));
        }
        if (t instanceof Term.SetCompr c) {
            SetValue.Builder out = SetValue.builder();
            evalBody(c.body(), 0, f, new Cont() {
                @Override
                public boolean next() {
                    return evalTerm(c.head(), f, new VCont() {
                        @Override
                        public boolean next(Value v) {
                            out.add(v);
                            return false;
                        }
                    });
                }
            });
            return k.next(out.build());
        }
        if (t instanceof Term.ObjectCompr c) {
            ObjectValue.Builder out = ObjectValue.builder();
            evalBody(c.body(), 0, f, new Cont() {
                @Override
                public boolean next() {
                    return evalTerm(c.key(), f, new VCont() {
                        @Override
                        public boolean next(Value key) {
                            return evalTerm(c.value(), f, new VCont() {
                                @Override
                                public boolean next(Value val) {
                                    Value prev = out.get(key);
                                    if (prev != null && !prev.equals(val)) {
                                        throw new RegoException(
                                                "eval_conflict_error", "object keys must be unique", c.loc());
                                    }
                                    out.put(key, val);
                                    return false;
                                }
                            });
                        }
                    });
                }
            });
            return k.next(out.build());
        }
        if (t instanceof Term.Call c) {
            return evalCall(c, c.args().size(), f, k);
        }
        throw new RegoException("eval_internal_error", "cannot evaluate " + t, t.loc());
    }

    /**
     * A copy of {@code a}: {@code System.arraycopy} is a C1 intrinsic, where {@code clone()} is a call into the VM
     * ({@code JVM_Clone}, ~4 % of a decision's samples when lists were cloned) and {@code Arrays.copyOf} of a typed
     * array creates it by reflection.
     */
    private static Value[] copy(Value[] a) {
        Value[] c = new Value[a.length];
        System.arraycopy(a, 0, c, 0, a.length);
        return c;
    }

    private interface ListCont {
        boolean next(Value[] vals);
    }

    private boolean evalList(List<Term> ts, int i, Value[] acc, Value[] f, ListCont k) {
        while (fast && i < ts.size() && isDirect(ts.get(i), f)) {
            Value g = direct(ts.get(i), f);
            if (g == null) {
                return false;
            }
            acc[i++] = g;
        }
        return evalListSlow(ts, i, acc, f, k);
    }

    private boolean evalListSlow(List<Term> ts, int i, Value[] acc, Value[] f, ListCont k) {
        if (i == ts.size()) {
            return k.next(copy(acc));
        }
        return evalTerm(ts.get(i), f, new VCont() {
            @Override
            public boolean next(Value v) {
                acc[i] = v;
                return evalList(ts, i + 1, acc, f, k);
            }
        });
    }

    // ------------------------------------------------------------------ calls

    private boolean evalCall(Term.Call c, int n, Value[] f, VCont k) {
        if (c.operator() == Operators.PRINT) {
            return evalPrint(c, f, k);
        }
        List<Term> args = n == c.args().size() ? c.args() : c.args().subList(0, n);
        if (hasUnboundVarArg(args, n, f)) {
            return evalArgsVarsLast(c, args, f, k);
        }
        return evalList(args, 0, new Value[n], f, new ListCont() {
            @Override
            public boolean next(Value[] vals) {
                return invoke(c, Arrays.asList(vals), k);
            }
        });
    }

    private static boolean hasUnboundVarArg(List<Term> args, int n, Value[] f) {
        for (int i = 0; i < n; i++) {
            if (args.get(i) instanceof Term.Var v && v.slot() >= 0 && f[v.slot()] == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Call arguments when a plain variable argument is not bound yet: OPA's compiler pulls refs,
     * calls and composites out of call arguments into expressions before the call (expandExpr), so
     * they are evaluated first and may bind it, as in {@code x == input.xs[x]}.
     */
    private boolean evalArgsVarsLast(Term.Call c, List<Term> args, Value[] f, VCont k) {
        int n = args.size();
        int[] order = new int[n];
        int j = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                if ((args.get(i) instanceof Term.Var) == (pass == 1)) {
                    order[j++] = i;
                }
            }
        }
        return evalArgsInOrder(c, args, order, 0, new Value[n], f, k);
    }

    private boolean evalArgsInOrder(Term.Call c, List<Term> args, int[] order, int i, Value[] acc, Value[] f, VCont k) {
        if (i == order.length) {
            return invoke(c, Arrays.asList(copy(acc)), k);
        }
        return evalTerm(args.get(order[i]), f, new VCont() {
            @Override
            public boolean next(Value v) {
                acc[order[i]] = v;
                return evalArgsInOrder(c, args, order, i + 1, acc, f, k);
            }
        });
    }

    private boolean evalPrint(Term.Call c, Value[] f, VCont k) {
        List<String> parts = new ArrayList<>();
        for (Term a : c.args()) {
            List<Value> vals = new ArrayList<>();
            evalTerm(a, f, new VCont() {
                @Override
                public boolean next(Value v) {
                    vals.add(v);
                    return false;
                }
            });
            if (vals.isEmpty()) {
                parts.add("<undefined>");
            } else {
                Value v = vals.get(0);
                parts.add(v instanceof StringValue s ? s.value() : v.toString());
            }
        }
        print(String.join(" ", parts));
        return k.next(BooleanValue.TRUE);
    }

    private boolean invoke(Term.Call c, List<Value> args, VCont k) {
        if (!state.mocks.isEmpty()) {
            String key = c.function() != null ? "data." + String.join(".", c.function()) : c.name();
            Object mock = state.mocks.get(key);
            if (mock instanceof Value v) {
                return k.next(v);
            }
            if (mock instanceof Term.FuncRef fr) {
                Term.Call replaced = new Term.Call(c.loc(), fr.name(), c.args(), fr.function());
                // inside a replacement no mock applies: it calls the originals (OPA's behaviour)
                State saved = state;
                State inner = new State(saved.input, saved.data, Map.of(), 0);
                List<Value> results = new ArrayList<>();
                state = inner;
                try {
                    invokeDirect(replaced, args, new VCont() {
                        @Override
                        public boolean next(Value v) {
                            results.add(v);
                            return false;
                        }
                    });
                } finally {
                    state = saved;
                }
                for (Value v : results) {
                    if (k.next(v)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return invokeDirect(c, args, k);
    }

    private boolean invokeDirect(Term.Call c, List<Value> args, VCont k) {
        Builtin b = null;
        if (c.function() == null && c.operator() < 0) {
            b = builtin(c);
            if (b == null) {
                throw new RegoException("eval_internal_error", "undefined function " + c.name(), c.loc());
            }
        }
        if (b == null || b.impl() instanceof BuiltinFunction.Simple) {
            Value v = callResolved(c, c.operator() >= 0, b, args);
            return v != null && k.next(v);
        }
        BuiltinFunction.Relation rel = (BuiltinFunction.Relation) b.impl();
        List<Value> outs = new ArrayList<>();
        Value ok = guard(c.name(), c.loc(), () -> {
            rel.call(args, this, outs::add);
            return BooleanValue.TRUE;
        });
        if (ok == null) {
            return false;
        }
        for (Value v : outs) {
            if (k.next(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls a function, an operator or a simple built-in ({@code builtin}, when the call is neither);
     * null when undefined or on a non-strict built-in error.
     */
    private Value callResolved(Term.Call c, boolean operator, Builtin builtin, List<Value> args) {
        if (c.function() != null) {
            boolean asBool = boolUse;
            boolUse = false;
            return callFunction(function(c), args, c.loc(), asBool);
        }
        try {
            return operator
                    ? Arith.apply(c.operator(), args.toArray(new Value[args.size()]))
                    : ((BuiltinFunction.Simple) builtin.impl()).call(args, this);
        } catch (RuntimeException e) {
            return builtinFailure(c.name(), c.loc(), e);
        }
    }

    private interface BuiltinCall {
        Value call();
    }

    private Value guard(String name, Location loc, BuiltinCall call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            return builtinFailure(name, loc, e);
        }
    }

    /** How a built-in's exception surfaces: an OPA error when strict (or always for conflicts), else undefined. */
    private Value builtinFailure(String name, Location loc, RuntimeException failure) {
        try {
            throw failure;
        } catch (BuiltinTypeError e) {
            if (options.strictBuiltinErrors()) {
                throw new RegoException("eval_type_error", name + ": " + e.getMessage(), loc);
            }
            return null;
        } catch (BuiltinConflictError e) {
            throw new RegoException("eval_conflict_error", e.getMessage(), loc);
        } catch (DeferredValue.DeferredValueException e) {
            // a deferred input member could not be computed: the evaluation fails, whichever built-in looked
            throw e;
        } catch (BuiltinError e) {
            if (options.strictBuiltinErrors()) {
                throw new RegoException("eval_builtin_error", name + ": " + e.getMessage(), loc);
            }
            return null;
        } catch (RegoException e) {
            throw e;
        } catch (RuntimeException e) {
            if (options.strictBuiltinErrors()) {
                throw new RegoException("eval_builtin_error", name + ": " + e.getMessage(), loc);
            }
            return null;
        }
    }

    /** Marks {@code node} as being evaluated; false when it already is (recursion). */
    private boolean enter(RuleNode node) {
        int id = node.id();
        if (id >= 0 && id < nodes) {
            if (inProgress[id]) {
                return false;
            }
            inProgress[id] = true;
            return true;
        }
        return inProgressOther.add(node);
    }

    private void exit(RuleNode node) {
        int id = node.id();
        if (id >= 0 && id < nodes) {
            inProgress[id] = false;
        } else {
            inProgressOther.remove(node);
        }
    }

    private Value callFunction(RuleNode node, List<Value> args, Location loc, boolean asBool) {
        if (!enter(node)) {
            throw new RegoException("rego_recursion_error", "rule " + node.pathString() + " is recursive", loc);
        }
        boolean ruleLevel = completeDepth > 0 && functionDepth == 0;
        functionDepth++;
        try {
            Value result = null;
            for (CompiledRule r : node.rules()) {
                Value v = evalFunctionRule(r, args);
                if (v != null) {
                    if (result != null && !result.equals(v)) {
                        throw new RegoException(
                                "eval_conflict_error",
                                ruleLevel && !asBool
                                        ? "functions must not produce multiple outputs for same inputs"
                                        : "function " + r.pathString()
                                                + " produced conflicting values for the same inputs",
                                r.loc());
                    }
                    result = v;
                }
            }
            if (result == null && node.defaultRule() != null) {
                result = evalSingle(
                        node.defaultRule().value(), new Value[node.defaultRule().slots()]);
            }
            return result;
        } finally {
            functionDepth--;
            exit(node);
        }
    }

    private Value evalFunctionRule(CompiledRule r, List<Value> args) {
        Value[] frame = new Value[r.slots()];
        Value[] result = new Value[1];
        unifyArgs(r.args(), args, 0, frame, new Cont() {
            @Override
            public boolean next() {
                return evalBody(r.body(), 0, frame, new Cont() {
                    @Override
                    public boolean next() {
                        Term vt = r.value();
                        Value v = vt == null ? BooleanValue.TRUE : evalSingle(vt, frame);
                        if (v == null) {
                            return false;
                        }
                        if (result[0] != null && !result[0].equals(v)) {
                            throw new RegoException(
                                    "eval_conflict_error",
                                    "function " + r.pathString() + " produced conflicting values for the same inputs",
                                    r.loc());
                        }
                        result[0] = v;
                        return false;
                    }
                });
            }
        });
        if (result[0] == null && r.elseRule() != null) {
            return evalFunctionRule(r.elseRule(), args);
        }
        return result[0];
    }

    private boolean unifyArgs(List<Term> params, List<Value> args, int i, Value[] f, Cont k) {
        if (i == params.size()) {
            return k.next();
        }
        return unifyValue(params.get(i), args.get(i), f, new Cont() {
            @Override
            public boolean next() {
                return unifyArgs(params, args, i + 1, f, k);
            }
        });
    }

    // ------------------------------------------------------------------ references

    private boolean evalRef(Term.Ref r, Value[] f, VCont k) {
        if (fast && isDirect(r, f)) {
            Value v = direct(r, f);
            return v != null && k.next(v);
        }
        Term head = r.head();
        if (head instanceof Term.Var v && v.slot() < 0) {
            if (v.name().equals("data")) {
                if (fast && state.data == null && links != null) {
                    RefLinks.Link l = links.get(r);
                    return evalData(r.path(), l.index(), l.node(), l.base(), null, f, k);
                }
                return evalData(r.path(), 0, root, baseData, state.data, f, k);
            }
            if (v.name().equals("input")) {
                return state.input != null && evalPath(state.input, r.path(), 0, f, k);
            }
        }
        return evalTerm(head, f, new VCont() {
            @Override
            public boolean next(Value hv) {
                return evalPath(hv, r.path(), 0, f, k);
            }
        });
    }

    private boolean evalPath(Value v, List<Term> path, int i, Value[] f, VCont k) {
        if (i == path.size()) {
            return k.next(v);
        }
        Term elem = path.get(i);
        if (isPattern(elem, f)) {
            return iterate(v, new Pairs() {
                @Override
                public boolean next(Value key, Value val) {
                    return unifyValue(elem, key, f, new Cont() {
                        @Override
                        public boolean next() {
                            return evalPath(val, path, i + 1, f, k);
                        }
                    });
                }
            });
        }
        Value ground = groundValue(elem, f);
        if (ground != null) {
            Value child = lookup(v, ground);
            return child != null && evalPath(child, path, i + 1, f, k);
        }
        return evalTerm(elem, f, new VCont() {
            @Override
            public boolean next(Value key) {
                Value child = lookup(v, key);
                return child != null && evalPath(child, path, i + 1, f, k);
            }
        });
    }

    /** The value of a scalar or bound variable without going through a continuation; else null. */
    private static Value groundValue(Term t, Value[] f) {
        if (t instanceof Term.Scalar s) {
            return s.value();
        }
        if (t instanceof Term.Var v && v.slot() >= 0) {
            return f[v.slot()];
        }
        return null;
    }

    /** Like evalPath over base data, where number keys also address string keys (as OPA's store does). */
    private boolean evalStorePath(Value v, List<Term> path, int i, Value[] f, VCont k) {
        if (i == path.size()) {
            return k.next(v);
        }
        Term elem = path.get(i);
        if (isPattern(elem, f)) {
            return iterate(v, new Pairs() {
                @Override
                public boolean next(Value key, Value val) {
                    return unifyValue(elem, key, f, new Cont() {
                        @Override
                        public boolean next() {
                            return evalStorePath(val, path, i + 1, f, k);
                        }
                    });
                }
            });
        }
        return evalTerm(elem, f, new VCont() {
            @Override
            public boolean next(Value key) {
                Value child = lookup(v, key);
                if (child == null && key instanceof NumberValue && v instanceof ObjectValue o) {
                    child = o.get(StringValue.of(key.toString()));
                }
                return child != null && evalStorePath(child, path, i + 1, f, k);
            }
        });
    }

    private static Value lookup(Value v, Value key) {
        if (v instanceof ObjectValue o) {
            return o.get(key);
        }
        if (v instanceof ArrayValue a) {
            if (key instanceof NumberValue n) {
                var idx = n.asInt();
                if (idx.isPresent() && idx.getAsInt() >= 0 && idx.getAsInt() < a.size()) {
                    return a.get(idx.getAsInt());
                }
            }
            return null;
        }
        if (v instanceof SetValue s) {
            return s.contains(key) ? key : null;
        }
        return null;
    }

    private boolean evalData(List<Term> path, int i, RuleNode node, Value base, DataOverride ov, Value[] f, VCont k) {
        if (ov != null && ov.value != null) {
            return evalPath(ov.value, path, i, f, k);
        }
        if (node == null) {
            Value b = ov != null ? applyOverrides(base, ov) : base;
            return b != null && evalStorePath(b, path, i, f, k);
        }
        if (node.hasRules()) {
            if (node.isFunction()) {
                return false;
            }
            Value doc = document(node, base, ov);
            return doc != null && evalPath(doc, path, i, f, k);
        }
        if (i == path.size()) {
            Value doc = document(node, base, ov);
            return doc != null && k.next(doc);
        }
        Term elem = path.get(i);
        if (isPattern(elem, f)) {
            TreeSet<Value> keys = new TreeSet<>(node.children().keySet());
            if (base instanceof ObjectValue o) {
                keys.addAll(o.keys());
            }
            if (ov != null) {
                keys.addAll(ov.children.keySet());
            }
            for (Value key : keys) {
                if (unifyValue(elem, key, f, new Cont() {
                    @Override
                    public boolean next() {
                        return descend(path, i, node, base, ov, key, f, k);
                    }
                })) {
                    return true;
                }
            }
            return false;
        }
        Value ground = groundValue(elem, f);
        if (ground != null) {
            return descend(path, i, node, base, ov, ground, f, k);
        }
        return evalTerm(elem, f, new VCont() {
            @Override
            public boolean next(Value key) {
                return descend(path, i, node, base, ov, key, f, k);
            }
        });
    }

    private boolean descend(
            List<Term> path, int i, RuleNode node, Value base, DataOverride ov, Value key, Value[] f, VCont k) {
        RuleNode child = node.child(key);
        Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
        if (childBase == null && key instanceof NumberValue && base instanceof ObjectValue o) {
            // the store addresses base documents by string path segments
            childBase = o.get(StringValue.of(key.toString()));
        }
        DataOverride childOv = ov == null ? null : ov.children.get(key);
        if (child == null && childBase == null && childOv == null) {
            return false;
        }
        return evalData(path, i + 1, child, childBase, childOv, f, k);
    }

    private static Value applyOverrides(Value base, DataOverride ov) {
        if (ov.value != null) {
            return ov.value;
        }
        if (ov.children.isEmpty()) {
            return base;
        }
        ObjectValue.Builder b = ObjectValue.builder();
        if (base instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                b.put(e.getKey(), e.getValue());
            }
        } else if (base != null) {
            return base;
        }
        for (Map.Entry<Value, DataOverride> e : ov.children.entrySet()) {
            Value cur = base instanceof ObjectValue o ? o.get(e.getKey()) : null;
            Value nv = applyOverrides(cur, e.getValue());
            if (nv != null) {
                b.put(e.getKey(), nv);
            }
        }
        return b.build();
    }

    /** The full document at a rule-tree node (rules evaluated, merged with base data); null if undefined. */
    private Value document(RuleNode node, Value base, DataOverride ov) {
        return document(node, base, ov, false);
    }

    private Value document(RuleNode node, Value base, DataOverride ov, boolean extent) {
        if (ov != null && ov.value != null) {
            return ov.value;
        }
        Object cached = state.cached(node);
        if (cached != null) {
            return cached == UNDEFINED ? null : (Value) cached;
        }
        if (!enter(node)) {
            throw new RegoException(
                    "rego_recursion_error", "rule " + node.pathString() + " is recursive", Location.NONE);
        }
        Value doc;
        try {
            doc = computeDocument(node, base, ov, extent);
        } finally {
            exit(node);
        }
        state.cache(node, doc == null ? UNDEFINED : doc);
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<Value, Object> tree, ObjectValue o) {
        for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
            Object prev = tree.get(e.getKey());
            if (prev instanceof Map && e.getValue() instanceof ObjectValue co) {
                mergeInto((Map<Value, Object>) prev, co);
            } else {
                tree.put(e.getKey(), e.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Value computeDocument(RuleNode node, Value base, DataOverride ov, boolean extent) {
        if (node.isFunction()) {
            return null;
        }
        CompiledRule.Kind kind = node.rules().isEmpty()
                ? (node.defaultRule() == null ? null : node.defaultRule().kind())
                : node.rules().get(0).kind();
        if (kind == CompiledRule.Kind.COMPLETE) {
            return evalComplete(node, extent);
        }
        if (kind == CompiledRule.Kind.SET) {
            SetValue.Builder b = SetValue.builder();
            for (CompiledRule r : node.rules()) {
                evalRuleBodies(r, new FrameCont() {
                    @Override
                    public boolean next(Value[] frame) {
                        return evalTerm(r.key(), frame, new VCont() {
                            @Override
                            public boolean next(Value v) {
                                b.add(v);
                                return false;
                            }
                        });
                    }
                });
            }
            return b.build();
        }
        return toValue(composeTree(node, kind, base, ov));
    }

    /**
     * The object document of a node as a tree: nested maps for paths, leaves that are the value of
     * one rule (atomic: another rule may not reach inside it) or set builders (set rules at one path
     * merge). Object rules of the node, child nodes and base data, merged as OPA merges the rule tree.
     */
    @SuppressWarnings("unchecked")
    private Map<Value, Object> composeTree(RuleNode node, CompiledRule.Kind kind, Value base, DataOverride ov) {
        Map<Value, Object> tree = new HashMap<>();
        if (kind == CompiledRule.Kind.OBJECT) {
            for (CompiledRule r : node.rules()) {
                evalRuleBodies(r, new FrameCont() {
                    @Override
                    public boolean next(Value[] frame) {
                        return evalList(r.keys(), 0, new Value[r.keys().size()], frame, new ListCont() {
                            @Override
                            public boolean next(Value[] keys) {
                                if (r.key() != null) {
                                    return evalTerm(r.key(), frame, new VCont() {
                                        @Override
                                        public boolean next(Value member) {
                                            insertMember(tree, keys, 0, member, r);
                                            return false;
                                        }
                                    });
                                }
                                Value v = r.value() == null ? BooleanValue.TRUE : evalSingle(r.value(), frame);
                                if (v != null) {
                                    insert(tree, keys, 0, v, r, true);
                                }
                                return false;
                            }
                        });
                    }
                });
            }
        }
        for (Map.Entry<Value, RuleNode> e : node.children().entrySet()) {
            Value childBase = base instanceof ObjectValue o ? o.get(e.getKey()) : null;
            DataOverride childOv = ov == null ? null : ov.children.get(e.getKey());
            RuleNode child = e.getValue();
            boolean replaced = childOv != null && childOv.value != null;
            if (child.isFunction() && !replaced) {
                continue;
            }
            CompiledRule.Kind ck = kindOf(child);
            Object cv;
            if (replaced || ck == CompiledRule.Kind.COMPLETE || ck == CompiledRule.Kind.SET) {
                cv = document(child, childBase, childOv, true);
            } else {
                cv = composeTree(child, ck, childBase, childOv);
            }
            if (cv != null) {
                mergeChild(tree, e.getKey(), cv, child);
            }
        }
        if (base instanceof ObjectValue o) {
            // Base documents take precedence over rules at the same path (OPA's merge order).
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                DataOverride childOv = ov == null ? null : ov.children.get(e.getKey());
                Value bv = childOv == null ? e.getValue() : applyOverrides(e.getValue(), childOv);
                Object prev = tree.get(e.getKey());
                if (prev instanceof Map && bv instanceof ObjectValue bo) {
                    mergeInto((Map<Value, Object>) prev, bo);
                } else if (prev instanceof ObjectValue po && bv instanceof ObjectValue bo) {
                    Map<Value, Object> m = new HashMap<>(po.asMap());
                    mergeInto(m, bo);
                    tree.put(e.getKey(), m);
                } else if (bv != null) {
                    tree.put(e.getKey(), bv);
                }
            }
        }
        if (ov != null) {
            for (Map.Entry<Value, DataOverride> e : ov.children.entrySet()) {
                if (!tree.containsKey(e.getKey())) {
                    Value nv = applyOverrides(null, e.getValue());
                    if (nv != null) {
                        tree.put(e.getKey(), nv);
                    }
                }
            }
        }
        return tree;
    }

    private static CompiledRule.Kind kindOf(RuleNode n) {
        if (!n.rules().isEmpty()) {
            return n.rules().get(0).kind();
        }
        return n.defaultRule() == null ? null : n.defaultRule().kind();
    }

    /**
     * Merges the document of a child node into its parent's tree. Paths merge and sets at one path
     * unite, but a rule's value is atomic: another rule defining the same path with a different
     * value, or a path inside it, is a conflict (OPA: "object keys must be unique").
     */
    @SuppressWarnings("unchecked")
    private static void mergeChild(Map<Value, Object> tree, Value key, Object cv, RuleNode child) {
        Object prev = tree.get(key);
        if (prev == null) {
            tree.put(key, cv);
            return;
        }
        if (prev instanceof Map && cv instanceof Map) {
            for (Map.Entry<Value, Object> e : ((Map<Value, Object>) cv).entrySet()) {
                mergeChild((Map<Value, Object>) prev, e.getKey(), e.getValue(), child);
            }
            return;
        }
        if (prev instanceof SetValue.Builder sb && (cv instanceof SetValue || cv instanceof SetValue.Builder)) {
            for (Value m : leaf(cv) instanceof SetValue s ? s.elements() : List.<Value>of()) {
                sb.add(m);
            }
            return;
        }
        if (!(prev instanceof Map) && !(cv instanceof Map) && leaf(prev).equals(leaf(cv))) {
            return;
        }
        throw new RegoException("eval_conflict_error", "object keys must be unique", Location.NONE);
    }

    private static Value leaf(Object o) {
        return o instanceof SetValue.Builder b ? b.build() : (Value) o;
    }

    @SuppressWarnings("unchecked")
    private static void insert(
            Map<Value, Object> tree, Value[] keys, int i, Value v, CompiledRule r, boolean objectRule) {
        Value key = keys[i];
        if (i == keys.length - 1) {
            Object prev = tree.get(key);
            if (prev != null && !prev.equals(v)) {
                if (keys.length == 1) {
                    throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
                }
                throw new RegoException(
                        "eval_conflict_error", "rule " + r.pathString() + " produced conflicting values", r.loc());
            }
            tree.put(key, v);
            return;
        }
        Object sub = tree.get(key);
        if (!(sub instanceof Map)) {
            if (sub != null) {
                throw new RegoException(
                        "eval_conflict_error", "rule " + r.pathString() + " produced conflicting values", r.loc());
            }
            sub = new HashMap<Value, Object>();
            tree.put(key, sub);
        }
        insert((Map<Value, Object>) sub, keys, i + 1, v, r, objectRule);
    }

    @SuppressWarnings("unchecked")
    private static void insertMember(Map<Value, Object> tree, Value[] keys, int i, Value member, CompiledRule r) {
        Value key = keys[i];
        if (i == keys.length - 1) {
            Object prev = tree.get(key);
            if (prev == null) {
                prev = SetValue.builder();
                tree.put(key, prev);
            }
            if (!(prev instanceof SetValue.Builder b)) {
                throw new RegoException(
                        "eval_conflict_error", "rule " + r.pathString() + " produced conflicting values", r.loc());
            }
            b.add(member);
            return;
        }
        Object sub = tree.get(key);
        if (!(sub instanceof Map)) {
            if (sub != null) {
                throw new RegoException(
                        "eval_conflict_error", "rule " + r.pathString() + " produced conflicting values", r.loc());
            }
            sub = new HashMap<Value, Object>();
            tree.put(key, sub);
        }
        insertMember((Map<Value, Object>) sub, keys, i + 1, member, r);
    }

    @SuppressWarnings("unchecked")
    private static ObjectValue toValue(Map<Value, Object> tree) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Object> e : tree.entrySet()) {
            Object o = e.getValue();
            b.put(
                    e.getKey(),
                    o instanceof Map
                            ? toValue((Map<Value, Object>) o)
                            : o instanceof SetValue.Builder sb ? sb.build() : (Value) o);
        }
        return b.build();
    }

    private interface FrameCont {
        boolean next(Value[] frame);
    }

    private void evalRuleBodies(CompiledRule r, FrameCont k) {
        Value[] frame = new Value[r.slots()];
        evalBody(r.body(), 0, frame, new Cont() {
            @Override
            public boolean next() {
                return k.next(frame);
            }
        });
    }

    /** How OPA words a complete-rule conflict depends on where the rule is evaluated from. */
    private enum Site {
        QUERY,
        RULE,
        FUNCTION,
        EXTENT
    }

    private Value evalComplete(RuleNode node, boolean extent) {
        Value result = null;
        Site site =
                extent ? Site.EXTENT : functionDepth > 0 ? Site.FUNCTION : completeDepth > 0 ? Site.RULE : Site.QUERY;
        completeDepth++;
        try {
            boolean prevViaElse = false;
            for (CompiledRule r : node.rules()) {
                Value v = evalCompleteRule(r, site, false);
                boolean viaElse = false;
                if (v == null && r.elseRule() != null) {
                    v = evalCompleteRule(r.elseRule(), site);
                    viaElse = true;
                }
                if (v != null) {
                    if (result != null && !result.equals(v)) {
                        // observed OPA wording at query level: a plain value conflicting with an else value
                        throw conflict(r, site == Site.QUERY && prevViaElse && !viaElse ? Site.RULE : site);
                    }
                    prevViaElse = viaElse;
                    result = v;
                }
            }
        } finally {
            completeDepth--;
        }
        if (result == null && node.defaultRule() != null) {
            result = evalSingle(
                    node.defaultRule().value(), new Value[node.defaultRule().slots()]);
        }
        return result;
    }

    private RegoException conflict(CompiledRule r, Site site) {
        String msg = site == Site.RULE
                ? "complete rules must not produce multiple outputs"
                : "rule " + r.pathString() + " produced conflicting values";
        return new RegoException("eval_conflict_error", msg, r.loc());
    }

    private Value evalCompleteRule(CompiledRule r, Site site) {
        return evalCompleteRule(r, site, true);
    }

    private Value evalCompleteRule(CompiledRule r, Site site, boolean withElse) {
        Value[] frame = new Value[r.slots()];
        Value[] result = new Value[1];
        evalBody(r.body(), 0, frame, new Cont() {
            @Override
            public boolean next() {
                Value v = r.value() == null ? BooleanValue.TRUE : evalSingle(r.value(), frame);
                if (v == null) {
                    return false;
                }
                if (result[0] != null && !result[0].equals(v)) {
                    throw conflict(r, site);
                }
                result[0] = v;
                return false;
            }
        });
        if (result[0] == null && withElse && r.elseRule() != null) {
            return evalCompleteRule(r.elseRule(), site);
        }
        return result[0];
    }
}
