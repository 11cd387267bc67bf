package io.opsmcp.rego.compiler;

import io.opsmcp.rego.RefusedBuiltinException;
import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Rule;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.builtins.Builtin;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.builtins.Type;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles parsed modules into a rule tree (after OPA's {@code ast.Compiler}): resolves imports and
 * package-local rule names to data references, numbers local variables into frame slots, resolves
 * calls to built-ins or user functions (with arity and literal type checks), and reorders bodies
 * for safety ({@link Safety}). Errors are {@link RegoException}s with OPA's codes.
 */
public final class Compiler {
    private final BuiltinRegistry builtins;
    private final RuleNode root = new RuleNode(List.of());
    private final Map<List<String>, Set<String>> packageRules = new HashMap<>();
    private final Map<Integer, String> slotNames = new HashMap<>();

    private Compiler(BuiltinRegistry builtins) {
        this.builtins = builtins;
    }

    /** The result of compiling modules: the rule tree root. */
    /**
     * A compiled rule tree; its nodes are numbered {@code 0 ..< nodes} ({@link RuleNode#id()}) so the evaluator
     * keeps per-node state (document cache, recursion check) in arrays instead of hash maps.
     */
    public record Compiled(RuleNode root, int nodes) {}

    /** A compiled ad-hoc query: body, frame size and the names of its user-visible variables. */
    public record CompiledQuery(Body body, int slots, Map<String, Integer> outputVars) {}

    /** Compiles modules. @throws RegoException rego_compile_error / rego_type_error */
    public static Compiled compile(List<Module> modules, BuiltinRegistry builtins) {
        Compiler c = new Compiler(builtins);
        c.run(modules);
        int nodes = c.root.number(0);
        return new Compiled(c.root, nodes);
    }

    /** Compiles a query against a compiled tree (globals: data, input). */
    public static CompiledQuery compileQuery(Body query, Compiled compiled, BuiltinRegistry builtins) {
        Compiler c = new Compiler(builtins);
        c.root.children().putAll(compiled.root().children());
        Ctx ctx = new Ctx(List.of(), Map.of(), Set.of(), null);
        int[] counter = {0};
        Scope scope = new Scope(null, counter);
        Resolver r = c.new Resolver(ctx);
        r.preRegister(query.exprs(), List.of(), scope);
        Body body = r.body(query, scope);
        Safety safety = new Safety(r.ranges, c.slotNames);
        Set<Integer> safe = new HashSet<>();
        Body ordered = safety.reorder(body, safe, Set.of());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : scope.vars.entrySet()) {
            if (!e.getKey().startsWith("$") && !e.getKey().startsWith("#")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new CompiledQuery(ordered, scope.slotCount(), out);
    }

    // ------------------------------------------------------------------ module level

    /** Resolution context of one rule; {@code meta} is null for queries. */
    private record Ctx(List<String> pkg, Map<String, Term.Ref> imports, Set<String> rules, RuleMetadata meta) {}

    /** What {@code rego.metadata.chain()} and {@code rego.metadata.rule()} return inside one rule. */
    private record RuleMetadata(Value chain, Value rule) {}

    private record Pending(Module module, Rule rule, List<Term> headPath) {}

    private void run(List<Module> modules) {
        List<Pending> pending = new ArrayList<>();
        for (Module m : modules) {
            // every package is a node of data, even without rules: an empty package is {} (OPA's rule tree)
            RuleNode pkgNode = root;
            for (String s : m.pkg()) {
                pkgNode = pkgNode.childOrCreate(StringValue.of(s));
            }
            Set<String> names = packageRules.computeIfAbsent(m.pkg(), k -> new HashSet<>());
            checkDuplicateImports(m);
            for (Rule r : m.rules()) {
                Term head = r.ref().head();
                if (!(head instanceof Term.Var v)) {
                    throw new RegoException("rego_parse_error", "invalid rule head", r.loc());
                }
                names.add(v.name());
                List<Term> headPath = new ArrayList<>();
                for (String s : m.pkg()) {
                    headPath.add(new Term.Scalar(r.loc(), StringValue.of(s)));
                }
                headPath.add(new Term.Scalar(v.loc(), StringValue.of(v.name())));
                headPath.addAll(r.ref().path());
                pending.add(new Pending(m, r, headPath));
            }
        }
        MetadataIndex metadata = new MetadataIndex(modules);
        // First place every rule in the tree (so calls and refs can see all nodes), then compile.
        Map<Pending, RuleNode> nodes = new IdentityHashMap<>();
        for (Pending pd : pending) {
            nodes.put(pd, place(pd));
        }
        for (Pending pd : pending) {
            Module m = pd.module();
            Map<String, Term.Ref> imports = new HashMap<>();
            for (Module.Import im : m.imports()) {
                Term.Var head = (Term.Var) im.path().head();
                if (!head.name().equals("data") && !head.name().equals("input")) {
                    continue;
                }
                String alias = im.alias();
                if (alias == null) {
                    if (im.path().path().isEmpty()) {
                        alias = head.name();
                    } else {
                        Term last = im.path().path().get(im.path().path().size() - 1);
                        alias = ((StringValue) ((Term.Scalar) last).value()).value();
                    }
                }
                imports.put(alias, im.path());
            }
            Ctx ctx = new Ctx(m.pkg(), imports, packageRules.get(m.pkg()), metadata.of(pd));
            RuleNode node = nodes.get(pd);
            CompiledRule cr = compileRule(pd, ctx, node, pd.rule(), pd.rule().args());
            if (pd.rule().isDefault()) {
                if (node.defaultRule() != null) {
                    throw new RegoException(
                            "rego_type_error",
                            "multiple default rules " + node.pathString() + " found",
                            pd.rule().loc());
                }
                node.setDefault(cr);
            } else {
                node.rules().add(cr);
            }
        }
        checkKinds(root);
    }

    /** Two imports under one name: a compile error in Rego v1 (OPA 1.x), whichever of them is used. */
    private static void checkDuplicateImports(Module m) {
        Map<String, Module.Import> seen = new HashMap<>();
        for (Module.Import im : m.imports()) {
            List<Term> path = im.path().path();
            String head = ((Term.Var) im.path().head()).name();
            String name;
            if (head.equals("future") || head.equals("rego")) {
                name = im.path().toString(); // keyword switches: only the same import twice collides
            } else if (im.alias() != null) {
                name = im.alias();
            } else if (path.isEmpty()) {
                name = head;
            } else {
                name = path.get(path.size() - 1) instanceof Term.Scalar sc && sc.value() instanceof StringValue sv
                        ? sv.value()
                        : im.path().toString();
            }
            Module.Import earlier = seen.putIfAbsent(name, im);
            if (earlier != null) {
                throw new RegoException(
                        "rego_compile_error",
                        "import must not shadow import " + earlier.path()
                                + (earlier.alias() == null ? "" : " as " + earlier.alias()),
                        im.loc());
            }
        }
    }

    /**
     * The METADATA annotations of all modules by scope, after OPA's {@code ast.AnnotationSet}: rule
     * scope (the default before a rule), document (per rule path), package (the default before a
     * package) and subpackages. The calls are replaced by constants at compile time, as OPA's
     * compiler does ({@code rewriteRegoMetadataCalls}).
     */
    private static final class MetadataIndex {
        private final Map<Rule, ObjectValue> ruleScope = new IdentityHashMap<>();
        private final Map<List<Value>, ObjectValue> documentScope = new HashMap<>();
        private final Map<List<String>, ObjectValue> packageScope = new HashMap<>();
        private final Map<List<String>, ObjectValue> subpackagesScope = new HashMap<>();

        MetadataIndex(List<Module> modules) {
            for (Module m : modules) {
                for (Module.Annotation a : m.annotations()) {
                    if (a.row() == m.loc().row()) {
                        String scope = scope(a, "package");
                        (scope.equals("subpackages") ? subpackagesScope : packageScope)
                                .putIfAbsent(m.pkg(), withScope(a.fields(), scope));
                        continue;
                    }
                    for (Rule r : m.rules()) {
                        if (r.loc().row() == a.row()) {
                            String scope = scope(a, "rule");
                            if (scope.equals("document")) {
                                documentScope.putIfAbsent(groundPath(m, r), withScope(a.fields(), scope));
                            } else {
                                ruleScope.put(r, withScope(a.fields(), scope));
                            }
                        }
                    }
                }
            }
        }

        private static String scope(Module.Annotation a, String dflt) {
            return a.fields().get(StringValue.of("scope")) instanceof StringValue s ? s.value() : dflt;
        }

        private static ObjectValue withScope(ObjectValue fields, String scope) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : fields.unorderedEntries()) {
                b.put(e.getKey(), e.getValue());
            }
            return b.put("scope", StringValue.of(scope)).build();
        }

        /** The package path, the rule name and the constant part of the head ref that follows. */
        private static List<Value> groundPath(Module m, Rule r) {
            List<Value> p = new ArrayList<>();
            m.pkg().forEach(s -> p.add(StringValue.of(s)));
            p.add(StringValue.of(((Term.Var) r.ref().head()).name()));
            for (Term t : r.ref().path()) {
                if (!(t instanceof Term.Scalar sc)) {
                    break;
                }
                p.add(sc.value());
            }
            return p;
        }

        private static Value link(List<Value> path, ObjectValue annotations) {
            ObjectValue.Builder b = ObjectValue.builder().put("path", ArrayValue.of(path));
            return (annotations == null ? b : b.put("annotations", annotations)).build();
        }

        RuleMetadata of(Pending pd) {
            List<Value> path = groundPath(pd.module(), pd.rule());
            ObjectValue own = ruleScope.get(pd.rule());
            ObjectValue doc = documentScope.get(path);
            List<Value> chain = new ArrayList<>();
            chain.add(link(path, own));
            if (doc != null) {
                chain.add(link(path, doc));
            }
            List<String> pkg = pd.module().pkg();
            ObjectValue pa = packageScope.get(pkg);
            if (pa != null) {
                chain.add(link(pkg.stream().map(s -> (Value) StringValue.of(s)).toList(), pa));
            }
            for (int n = pkg.size(); n > 0; n--) {
                ObjectValue sa = subpackagesScope.get(pkg.subList(0, n));
                if (sa != null) {
                    chain.add(link(
                            pkg.subList(0, n).stream()
                                    .map(s -> (Value) StringValue.of(s))
                                    .toList(),
                            sa));
                }
            }
            return new RuleMetadata(ArrayValue.of(chain), own != null ? own : doc != null ? doc : ObjectValue.EMPTY);
        }
    }

    private void checkKinds(RuleNode n) {
        CompiledRule.Kind kind = null;
        List<CompiledRule> all = new ArrayList<>(n.rules());
        if (n.defaultRule() != null) {
            all.add(n.defaultRule());
        }
        int arity = -1;
        for (CompiledRule r : all) {
            boolean kindConflict = kind != null
                    && kind != r.kind()
                    && !(r.kind() == CompiledRule.Kind.OBJECT || kind == CompiledRule.Kind.OBJECT);
            // one function name, one arity (OPA: a function declared with two arities is a conflict)
            boolean arityConflict = r.kind() == CompiledRule.Kind.FUNCTION
                    && arity >= 0
                    && arity != r.args().size();
            if (kindConflict || arityConflict) {
                throw new RegoException("rego_type_error", "conflicting rules " + n.pathString() + " found", r.loc());
            }
            kind = r.kind();
            if (r.kind() == CompiledRule.Kind.FUNCTION) {
                arity = r.args().size();
            }
        }
        for (RuleNode c : n.children().values()) {
            checkKinds(c);
        }
    }

    private RuleNode place(Pending pd) {
        RuleNode node = root;
        List<Term> hp = pd.headPath();
        int i = 0;
        for (; i < hp.size(); i++) {
            Optional<Value> v = constant(hp.get(i));
            if (v.isEmpty()) {
                break;
            }
            node = node.childOrCreate(v.get());
        }
        if (pd.rule().args() != null) {
            node.markFunction();
        }
        return node;
    }

    /** Value of a ground literal term (no vars, refs or calls). */
    static Optional<Value> constant(Term t) {
        if (t instanceof Term.Scalar s) {
            return Optional.of(s.value());
        }
        if (t instanceof Term.ArrayTerm a) {
            List<Value> out = new ArrayList<>();
            for (Term x : a.items()) {
                Optional<Value> v = constant(x);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                out.add(v.get());
            }
            return Optional.of(ArrayValue.of(out));
        }
        if (t instanceof Term.SetTerm a) {
            List<Value> out = new ArrayList<>();
            for (Term x : a.items()) {
                Optional<Value> v = constant(x);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                out.add(v.get());
            }
            return Optional.of(SetValue.of(out));
        }
        if (t instanceof Term.ObjectTerm o) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (int i = 0; i < o.keys().size(); i++) {
                Optional<Value> k = constant(o.keys().get(i));
                Optional<Value> v = constant(o.values().get(i));
                if (k.isEmpty() || v.isEmpty()) {
                    return Optional.empty();
                }
                b.put(k.get(), v.get());
            }
            return Optional.of(b.build());
        }
        return Optional.empty();
    }

    /** Moves head terms that need evaluation (refs, calls, comprehensions) into the body, as OPA does. */
    private static Rule rewriteHead(Rule r) {
        if (r.isDefault()) {
            return r;
        }
        List<Expr> extra = new ArrayList<>();
        Term value = hoist(r.value(), extra);
        Term key = hoist(r.key(), extra);
        if (extra.isEmpty()) {
            return r;
        }
        List<Expr> body = new ArrayList<>(r.body().exprs());
        body.addAll(extra);
        return new Rule(
                r.loc(),
                false,
                r.ref(),
                r.args(),
                key,
                value,
                r.assign(),
                new Body(r.body().loc(), body),
                r.elseRule());
    }

    private static Term hoist(Term t, List<Expr> extra) {
        if (t == null || !needsEval(t)) {
            return t;
        }
        Term.Var v = new Term.Var(t.loc(), "#h" + extra.size(), -1);
        extra.add(new Expr(
                t.loc(), false, new Expr.TermExpr(new Term.Call(t.loc(), "eq", List.of(v, t), null)), List.of()));
        return v;
    }

    private static boolean needsEval(Term t) {
        if (t instanceof Term.Var || t instanceof Term.Scalar) {
            return false;
        }
        if (t instanceof Term.ArrayTerm a) {
            return a.items().stream().anyMatch(Compiler::needsEval);
        }
        if (t instanceof Term.SetTerm a) {
            return a.items().stream().anyMatch(Compiler::needsEval);
        }
        if (t instanceof Term.ObjectTerm o) {
            return o.keys().stream().anyMatch(Compiler::needsEval)
                    || o.values().stream().anyMatch(Compiler::needsEval);
        }
        return true;
    }

    private CompiledRule compileRule(Pending pd, Ctx ctx, RuleNode node, Rule original, List<Term> argsSrc) {
        Rule r = rewriteHead(original);
        List<Term> argTerms = argsSrc;
        if (argsSrc != null && argsSrc.stream().anyMatch(a -> a instanceof Term.Call)) {
            // a call as an argument (e.g. a template string): bind the argument to a var and compare in the body
            argTerms = new ArrayList<>();
            List<Expr> body = new ArrayList<>(r.body().exprs());
            for (int i = 0; i < argsSrc.size(); i++) {
                Term a = argsSrc.get(i);
                if (a instanceof Term.Call) {
                    Term.Var v = new Term.Var(a.loc(), "#a" + i, -1);
                    body.add(new Expr(
                            a.loc(),
                            false,
                            new Expr.TermExpr(new Term.Call(a.loc(), "eq", List.of(v, a), null)),
                            List.of()));
                    a = v;
                }
                argTerms.add(a);
            }
            r = new Rule(
                    r.loc(),
                    r.isDefault(),
                    r.ref(),
                    r.args(),
                    r.key(),
                    r.value(),
                    r.assign(),
                    new Body(r.body().loc(), body),
                    r.elseRule());
        }
        int[] counter = {0};
        Scope scope = new Scope(null, counter);
        Resolver res = new Resolver(ctx);
        List<Term> hp = pd.headPath();
        List<Term> keysSrc = hp.subList(node.path().size(), hp.size());
        Set<Integer> safe = new HashSet<>();
        List<Term> args = null;
        if (argTerms != null) {
            for (Term a : argTerms) {
                res.declarePattern(a, scope);
            }
            args = new ArrayList<>();
            for (Term a : argTerms) {
                Term ra = res.term(a, scope);
                args.add(ra);
                Safety.vars(ra, safe);
            }
        }
        List<Term> headTerms = new ArrayList<>(keysSrc);
        if (r.key() != null) {
            headTerms.add(r.key());
        }
        if (r.value() != null) {
            headTerms.add(r.value());
        }
        res.preRegister(r.body().exprs(), headTerms, scope);
        Body body = res.body(r.body(), scope);
        List<Term> keys = new ArrayList<>();
        for (Term k : keysSrc) {
            keys.add(res.term(k, scope));
        }
        Term key = r.key() == null ? null : res.term(r.key(), scope);
        Term value = r.value() == null ? null : res.term(r.value(), scope);
        Safety safety = new Safety(res.ranges, slotNames);
        Set<Integer> headVars = new HashSet<>();
        for (Term k : keys) {
            Safety.vars(k, headVars);
        }
        if (key != null) {
            Safety.vars(key, headVars);
        }
        if (value != null) {
            Safety.vars(value, headVars);
        }
        Body ordered = safety.reorder(body, safe, headVars);
        Set<Integer> bound = safety.lastSafe();
        for (Term t : headTerms(keys, key, value)) {
            Set<Integer> vs = new HashSet<>();
            Safety.vars(t, vs);
            for (Integer v : vs) {
                if (!bound.contains(v)) {
                    throw new RegoException("rego_compile_error", "var " + displayName(v) + " is unsafe", t.loc());
                }
            }
            value = value == null ? null : safety.rewriteNested(value, bound);
            key = key == null ? null : safety.rewriteNested(key, bound);
        }
        CompiledRule.Kind kind;
        if (args != null) {
            kind = CompiledRule.Kind.FUNCTION;
        } else if (key != null && keys.isEmpty()) {
            kind = CompiledRule.Kind.SET;
        } else if (keys.isEmpty()) {
            kind = CompiledRule.Kind.COMPLETE;
        } else {
            kind = CompiledRule.Kind.OBJECT;
        }
        CompiledRule elseRule = null;
        if (r.elseRule() != null) {
            Rule e = r.elseRule();
            Rule er = new Rule(e.loc(), false, r.ref(), r.args(), null, e.value(), e.assign(), e.body(), e.elseRule());
            elseRule = compileRule(pd, ctx, node, er, argsSrc);
        }
        return new CompiledRule(
                kind, node.path(), keys, args, key, value, ordered, scope.slotCount(), elseRule, r.loc());
    }

    private static List<Term> headTerms(List<Term> keys, Term key, Term value) {
        List<Term> out = new ArrayList<>(keys);
        if (key != null) {
            out.add(key);
        }
        if (value != null) {
            out.add(value);
        }
        return out;
    }

    private String displayName(int slot) {
        String n = slotNames.getOrDefault(slot, "?");
        return n.startsWith("$") ? "_" : n;
    }

    private RuleNode lookupNode(List<String> path) {
        RuleNode n = root;
        for (String s : path) {
            n = n.child(StringValue.of(s));
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ name resolution

    /** Resolves names in one rule or query; records the slot range of each nested scope. */
    final class Resolver {
        private final Ctx ctx;
        final Map<Object, int[]> ranges = new IdentityHashMap<>();

        Resolver(Ctx ctx) {
            this.ctx = ctx;
        }

        private boolean isGlobal(String name) {
            return name.equals("input")
                    || name.equals("data")
                    || ctx.imports().containsKey(name)
                    || ctx.rules().contains(name);
        }

        private Term global(Term.Var v) {
            if (v.name().equals("input") || v.name().equals("data")) {
                return new Term.Ref(v.loc(), new Term.Var(v.loc(), v.name(), -1), List.of());
            }
            Term.Ref imp = ctx.imports().get(v.name());
            if (imp != null) {
                return new Term.Ref(v.loc(), new Term.Var(v.loc(), ((Term.Var) imp.head()).name(), -1), imp.path());
            }
            List<Term> path = new ArrayList<>();
            for (String s : ctx.pkg()) {
                path.add(new Term.Scalar(v.loc(), StringValue.of(s)));
            }
            path.add(new Term.Scalar(v.loc(), StringValue.of(v.name())));
            return new Term.Ref(v.loc(), new Term.Var(v.loc(), "data", -1), path);
        }

        void declarePattern(Term t, Scope scope) {
            Set<String> names = new HashSet<>();
            patternVarNames(t, names);
            for (String n : names) {
                if (n.equals("input") || n.equals("data")) {
                    // Rego v1 reserves both names (OPA 1.x: a compile error, not a local that hides the document)
                    throw new RegoException(
                            "rego_compile_error",
                            "variables must not shadow " + n + " (use a different variable name)",
                            t.loc());
                }
                if (scope.declared.contains(n) && !n.startsWith("$")) {
                    throw new RegoException("rego_compile_error", "var " + n + " assigned above", t.loc());
                }
                scope.declared.add(n);
                slotNames.put(scope.allocate(n), n);
            }
        }

        /**
         * Allocates the implicit (unification) locals of a body. Vars declared with {@code :=},
         * {@code some} or {@code some ... in} are declared where they appear (see {@link #body}),
         * so a nested scope before the declaration does not capture them, as in OPA.
         */
        void preRegister(List<Expr> exprs, List<Term> extra, Scope scope) {
            Set<String> declaredHere = new HashSet<>();
            for (Expr e : exprs) {
                Expr.Kind k = e.kind();
                if (k instanceof Expr.SomeVars sv) {
                    sv.vars().forEach(v -> declaredHere.add(v.name()));
                } else if (k instanceof Expr.SomeIn si) {
                    if (si.key() != null) {
                        patternVarNames(si.key(), declaredHere);
                    }
                    patternVarNames(si.value(), declaredHere);
                } else if (k instanceof Expr.TermExpr te
                        && te.term() instanceof Term.Call c
                        && c.name().equals("assign")) {
                    patternVarNames(c.args().get(0), declaredHere);
                }
            }
            Set<String> names = new java.util.LinkedHashSet<>();
            for (Expr e : exprs) {
                Expr.Kind k = e.kind();
                if (k instanceof Expr.TermExpr te) {
                    localNames(te.term(), names);
                } else if (k instanceof Expr.SomeIn si) {
                    localNames(si.collection(), names);
                } else if (k instanceof Expr.Every ev) {
                    localNames(ev.domain(), names);
                }
                for (Expr.With w : e.withs()) {
                    localNames(w.value(), names);
                }
            }
            for (Term t : extra) {
                localNames(t, names);
            }
            for (String n : names) {
                if (!declaredHere.contains(n) && scope.lookup(n) < 0 && !isGlobal(n)) {
                    slotNames.put(scope.allocate(n), n);
                }
            }
        }

        private void patternVarNames(Term t, Set<String> out) {
            if (t instanceof Term.Var v) {
                if (!v.isWildcard()) {
                    out.add(v.name());
                }
            } else if (t instanceof Term.ArrayTerm a) {
                a.items().forEach(x -> patternVarNames(x, out));
            } else if (t instanceof Term.ObjectTerm o) {
                o.values().forEach(x -> patternVarNames(x, out));
            } else if (t instanceof Term.SetTerm s) {
                s.items().forEach(x -> patternVarNames(x, out));
            }
        }

        /** Var names used directly (not inside nested bodies); wildcards excluded. */
        private void localNames(Term t, Set<String> out) {
            if (t instanceof Term.Var v) {
                if (!v.isWildcard()) {
                    out.add(v.name());
                }
            } else if (t instanceof Term.Ref r) {
                localNames(r.head(), out);
                r.path().forEach(x -> localNames(x, out));
            } else if (t instanceof Term.ArrayTerm a) {
                a.items().forEach(x -> localNames(x, out));
            } else if (t instanceof Term.ObjectTerm o) {
                o.keys().forEach(x -> localNames(x, out));
                o.values().forEach(x -> localNames(x, out));
            } else if (t instanceof Term.SetTerm s) {
                s.items().forEach(x -> localNames(x, out));
            } else if (t instanceof Term.Call c) {
                c.args().forEach(x -> localNames(x, out));
            }
        }

        Body body(Body b, Scope scope) {
            List<Expr> out = new ArrayList<>();
            for (Expr e : b.exprs()) {
                out.add(expr(e, scope));
            }
            return new Body(b.loc(), out);
        }

        private Expr expr(Expr e, Scope scope) {
            Expr.Kind k = e.kind();
            Expr.Kind nk;
            if (k instanceof Expr.TermExpr te
                    && te.term() instanceof Term.Call c
                    && c.name().equals("assign")) {
                Term rhs = term(c.args().get(1), scope);
                declarePattern(c.args().get(0), scope);
                Term lhs = term(c.args().get(0), scope);
                nk = new Expr.TermExpr(new Term.Call(c.loc(), "assign", List.of(lhs, rhs), null));
            } else if (k instanceof Expr.TermExpr te) {
                nk = new Expr.TermExpr(term(te.term(), scope));
            } else if (k instanceof Expr.SomeVars sv) {
                List<Term.Var> vs = new ArrayList<>();
                for (Term.Var v : sv.vars()) {
                    scope.declared.add(v.name());
                    slotNames.put(scope.allocate(v.name()), v.name());
                    vs.add((Term.Var) term(v, scope));
                }
                nk = new Expr.SomeVars(vs);
            } else if (k instanceof Expr.SomeIn si) {
                Term coll = term(si.collection(), scope);
                if (si.key() != null) {
                    declarePattern(si.key(), scope);
                }
                declarePattern(si.value(), scope);
                nk = new Expr.SomeIn(si.key() == null ? null : term(si.key(), scope), term(si.value(), scope), coll);
            } else if (k instanceof Expr.Logical lg) {
                int start = scope.slotCount();
                List<Body> ops = new ArrayList<>();
                for (Body b : lg.operands()) {
                    Scope inner = scope.child();
                    preRegister(b.exprs(), List.of(), inner);
                    ops.add(body(b, inner));
                }
                nk = new Expr.Logical(lg.or(), ops);
                ranges.put(nk, new int[] {start, scope.slotCount()});
            } else {
                Expr.Every ev = (Expr.Every) k;
                Term domain = term(ev.domain(), scope);
                Scope inner = scope.child();
                int start = inner.slotCount();
                if (ev.key() != null) {
                    declarePattern(ev.key(), inner);
                }
                declarePattern(ev.value(), inner);
                preRegister(ev.body().exprs(), List.of(), inner);
                Term key = ev.key() == null ? null : term(ev.key(), inner);
                Term value = term(ev.value(), inner);
                Body body = body(ev.body(), inner);
                Expr.Every ne = new Expr.Every(key, value, domain, body);
                ranges.put(ne, new int[] {start, inner.slotCount()});
                nk = ne;
            }
            List<Expr.With> ws = new ArrayList<>();
            for (Expr.With w : e.withs()) {
                ws.add(with(w, scope));
            }
            Expr out = new Expr(e.loc(), e.negated(), nk, ws);
            if (nk instanceof Expr.Every) {
                ranges.put(out, ranges.get(nk));
            }
            return out;
        }

        private Expr.With with(Expr.With w, Scope scope) {
            Term target = w.target();
            Term rt;
            Term.Var head = target instanceof Term.Var v ? v : (Term.Var) ((Term.Ref) target).head();
            List<Term> path = target instanceof Term.Ref r ? r.path() : List.of();
            if (head.name().equals("input") || head.name().equals("data")) {
                rt = term(target, scope);
            } else if (ctx.imports().containsKey(head.name())) {
                rt = term(target, scope);
            } else {
                rt = funcRef(target, w.loc());
            }
            if (rt instanceof Term.Ref r
                    && r.head() instanceof Term.Var hv
                    && hv.name().equals("data")) {
                // `with data.pkg.f as ...` where f is a function: a function replacement
                List<String> p = stringPath(r.path());
                RuleNode n = p == null ? null : lookupNode(p);
                if (n != null && n.isFunction()) {
                    rt = new Term.FuncRef(w.loc(), "data." + String.join(".", p), p);
                }
            }
            Term value = w.value();
            Term rv;
            if (rt instanceof Term.FuncRef && isFunctionName(value)) {
                rv = funcRef(value, w.loc());
            } else {
                rv = term(value, scope);
            }
            return new Expr.With(w.loc(), rt, rv);
        }

        private boolean isFunctionName(Term t) {
            String name = dotted(t);
            if (name == null) {
                return false;
            }
            Term.FuncRef f = tryFuncRef(name, t.loc());
            return f != null;
        }

        private Term funcRef(Term t, Location loc) {
            String name = dotted(t);
            Term.FuncRef f = name == null ? null : tryFuncRef(name, loc);
            if (f == null) {
                throw new RegoException(
                        "rego_compile_error",
                        "with keyword target must reference existing input, data, or a function",
                        loc);
            }
            return f;
        }

        private Term.FuncRef tryFuncRef(String name, Location loc) {
            List<String> fn = functionPath(name);
            if (fn != null) {
                RuleNode n = lookupNode(fn);
                if (n != null && n.isFunction()) {
                    return new Term.FuncRef(loc, "data." + String.join(".", fn), fn);
                }
            }
            Optional<Builtin> b = builtins.lookup(name);
            if (b.isPresent() && b.get().refused()) {
                throw new RefusedBuiltinException(name, loc);
            }
            if (b.isPresent() || Operators.isOperator(name)) {
                return new Term.FuncRef(loc, name, null);
            }
            return null;
        }

        private String dotted(Term t) {
            if (t instanceof Term.Var v) {
                return v.name();
            }
            if (t instanceof Term.Ref r && r.head() instanceof Term.Var v) {
                List<String> p = stringPath(r.path());
                return p == null ? null : v.name() + (p.isEmpty() ? "" : "." + String.join(".", p));
            }
            return null;
        }

        private List<String> functionPath(String name) {
            List<String> parts = Arrays.asList(name.split("\\."));
            String first = parts.get(0);
            if (first.equals("data")) {
                return parts.subList(1, parts.size());
            }
            Term.Ref imp = ctx.imports().get(first);
            if (imp != null) {
                if (!((Term.Var) imp.head()).name().equals("data")) {
                    return null;
                }
                List<String> p = stringPath(imp.path());
                if (p == null) {
                    return null;
                }
                List<String> out = new ArrayList<>(p);
                out.addAll(parts.subList(1, parts.size()));
                return out;
            }
            if (ctx.rules().contains(first)) {
                List<String> out = new ArrayList<>(ctx.pkg());
                out.addAll(parts);
                return out;
            }
            return null;
        }

        Term term(Term t, Scope scope) {
            if (t instanceof Term.Scalar) {
                return t;
            }
            if (t instanceof Term.Var v) {
                if (v.slot() >= 0) {
                    return v;
                }
                if (v.isWildcard()) {
                    int slot = scope.fresh();
                    slotNames.put(slot, v.name());
                    return new Term.Var(v.loc(), v.name(), slot);
                }
                int slot = scope.lookup(v.name());
                if (slot >= 0) {
                    return new Term.Var(v.loc(), v.name(), slot);
                }
                if (isGlobal(v.name())) {
                    return global(v);
                }
                slot = scope.allocate(v.name());
                slotNames.put(slot, v.name());
                return new Term.Var(v.loc(), v.name(), slot);
            }
            if (t instanceof Term.Ref r) {
                Term head = term(r.head(), scope);
                List<Term> path = new ArrayList<>();
                if (head instanceof Term.Ref hr) {
                    path.addAll(hr.path());
                    head = hr.head();
                }
                for (Term p : r.path()) {
                    path.add(term(p, scope));
                }
                return new Term.Ref(r.loc(), head, path);
            }
            if (t instanceof Term.ArrayTerm a) {
                return folded(new Term.ArrayTerm(a.loc(), terms(a.items(), scope)));
            }
            if (t instanceof Term.SetTerm s) {
                return folded(new Term.SetTerm(s.loc(), terms(s.items(), scope)));
            }
            if (t instanceof Term.ObjectTerm o) {
                return folded(new Term.ObjectTerm(o.loc(), terms(o.keys(), scope), terms(o.values(), scope)));
            }
            if (t instanceof Term.ArrayCompr c) {
                Scope inner = scope.child();
                int start = inner.slotCount();
                preRegister(c.body().exprs(), List.of(c.head()), inner);
                Body b = body(c.body(), inner);
                Term out = new Term.ArrayCompr(c.loc(), term(c.head(), inner), b);
                ranges.put(out, new int[] {start, inner.slotCount()});
                return out;
            }
            if (t instanceof Term.SetCompr c) {
                Scope inner = scope.child();
                int start = inner.slotCount();
                preRegister(c.body().exprs(), List.of(c.head()), inner);
                Body b = body(c.body(), inner);
                Term out = new Term.SetCompr(c.loc(), term(c.head(), inner), b);
                ranges.put(out, new int[] {start, inner.slotCount()});
                return out;
            }
            if (t instanceof Term.ObjectCompr c) {
                Scope inner = scope.child();
                int start = inner.slotCount();
                preRegister(c.body().exprs(), List.of(c.key(), c.value()), inner);
                Body b = body(c.body(), inner);
                Term out = new Term.ObjectCompr(c.loc(), term(c.key(), inner), term(c.value(), inner), b);
                ranges.put(out, new int[] {start, inner.slotCount()});
                return out;
            }
            if (t instanceof Term.FuncRef) {
                return t;
            }
            return call((Term.Call) t, scope);
        }

        /**
         * A composite of constants ({@code ["/"]}, {@code {"required": false}}, a set of names) as the one value it
         * always is: built once here instead of on every evaluation, and a constant argument keeps a call on the
         * evaluator's direct path. The value is the one evaluating the composite gives (same builders).
         */
        private static Term folded(Term t) {
            return constant(t)
                    .<Term>map(v -> new Term.Scalar(t.loc(), Values.intern(v)))
                    .orElse(t);
        }

        private List<Term> terms(List<Term> ts, Scope scope) {
            List<Term> out = new ArrayList<>(ts.size());
            for (Term x : ts) {
                out.add(term(x, scope));
            }
            return out;
        }

        private Term call(Term.Call c, Scope scope) {
            List<Term> args = terms(c.args(), scope);
            String name = c.name();
            if (args.isEmpty() && (name.equals("rego.metadata.chain") || name.equals("rego.metadata.rule"))) {
                // constants of the enclosing rule (empty in a query, which has no annotations)
                RuleMetadata meta = ctx.meta();
                Value v = name.endsWith("chain")
                        ? (meta == null ? ArrayValue.EMPTY : meta.chain())
                        : (meta == null ? ObjectValue.EMPTY : meta.rule());
                return new Term.Scalar(c.loc(), v);
            }
            if (Operators.isOperator(name)) {
                return new Term.Call(c.loc(), name, args, null);
            }
            List<String> fn = functionPath(name);
            if (fn != null) {
                RuleNode n = lookupNode(fn);
                if (n != null && n.isFunction()) {
                    CompiledRuleArity.check(name, n, args.size(), c.loc());
                    return new Term.Call(c.loc(), name, args, fn);
                }
            }
            Optional<Builtin> b = builtins.lookup(name);
            if (b.isEmpty()) {
                if (fn != null && lookupNode(fn) != null) {
                    throw new RegoException(
                            "rego_type_error", "undefined function " + "data." + String.join(".", fn), c.loc());
                }
                throw new RegoException("rego_type_error", "undefined function " + name, c.loc());
            }
            Builtin bi = b.get();
            if (bi.refused()) {
                throw new RefusedBuiltinException(name, c.loc());
            }
            if (args.size() != bi.arity() && args.size() != bi.arity() + 1) {
                throw new RegoException(
                        "rego_type_error",
                        name + ": arity mismatch\n\thave: (" + args.size() + " arguments)\n\twant: (" + bi.arity()
                                + " arguments)",
                        c.loc());
            }
            for (int i = 0; i < bi.arity(); i++) {
                Optional<Value> v = args.get(i) instanceof Term.Scalar ? constant(args.get(i)) : Optional.empty();
                if (v.isPresent() && !bi.args().get(i).mayAccept(Type.of(v.get()))) {
                    throw new RegoException(
                            "rego_type_error",
                            name + ": invalid argument(s)\n\thave: (" + Type.of(v.get()) + ")\n\twant: ("
                                    + bi.args().get(i) + ")",
                            c.loc());
                }
            }
            return new Term.Call(c.loc(), name, args, null);
        }
    }

    /** Ground string path of ref elements, or null. */
    static List<String> stringPath(List<Term> path) {
        List<String> out = new ArrayList<>();
        for (Term t : path) {
            if (!(t instanceof Term.Scalar s && s.value() instanceof StringValue str)) {
                return null;
            }
            out.add(str.value());
        }
        return out;
    }

    /** Arity check of calls to user functions. */
    private static final class CompiledRuleArity {
        private CompiledRuleArity() {}

        static void check(String name, RuleNode n, int given, Location loc) {
            // Arity is only known once the node's rules are compiled; the evaluator checks the rest.
            if (n.rules().isEmpty()) {
                return;
            }
            int arity = n.rules().get(0).args().size();
            if (given != arity && given != arity + 1) {
                throw new RegoException("rego_type_error", name + ": arity mismatch", loc);
            }
        }
    }
}
