package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Rule;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * rego.parse_module(filename, source): the module's syntax tree in the JSON shape of OPA's AST
 * ({@code ast.Module} marshalled: {@code package.path}, {@code imports}, {@code rules} with
 * {@code head} and {@code body}; terms as {@code {"type": ..., "value": ...}}, calls as arrays of
 * operator and operands, locations left out). A parse error is an eval_builtin_error carrying the
 * parser's {@code rego_parse_error} message.
 */
final class RegoParseModuleBuiltin {
    private RegoParseModuleBuiltin() {}

    static List<Builtin> all() {
        return List.of(Builtin.simple(
                "rego.parse_module",
                args(Type.STRING, Type.STRING),
                Type.object(Type.STRING, Type.ANY),
                (a, c) -> parse(Operands.string(a, 0), Operands.string(a, 1))));
    }

    private static Value parse(String file, String src) {
        Module m;
        try {
            m = Parser.parseModule(file, src);
        } catch (RegoException e) {
            throw new BuiltinError("1 error occurred: " + e.getMessage());
        }
        List<Value> pkg = new ArrayList<>();
        pkg.add(term("var", StringValue.of("data")));
        m.pkg().forEach(s -> pkg.add(term("string", StringValue.of(s))));
        ObjectValue.Builder out = ObjectValue.builder()
                .put(
                        "package",
                        ObjectValue.builder().put("path", ArrayValue.of(pkg)).build());
        if (!m.imports().isEmpty()) {
            List<Value> imports = new ArrayList<>();
            for (Module.Import im : m.imports()) {
                ObjectValue.Builder b = ObjectValue.builder().put("path", term(im.path()));
                if (im.alias() != null) {
                    b.put("alias", StringValue.of(im.alias()));
                }
                imports.add(b.build());
            }
            out.put("imports", ArrayValue.of(imports));
        }
        if (!m.rules().isEmpty()) {
            out.put(
                    "rules",
                    ArrayValue.of(
                            m.rules().stream().map(RegoParseModuleBuiltin::rule).toList()));
        }
        return out.build();
    }

    private static Value rule(Rule r) {
        ObjectValue.Builder head = ObjectValue.builder();
        if (r.ref() != null) {
            Term.Var name = (Term.Var) r.ref().head();
            head.put("name", StringValue.of(name.name()));
            List<Value> ref = new ArrayList<>();
            ref.add(term("var", StringValue.of(name.name())));
            r.ref().path().forEach(t -> ref.add(term(t)));
            head.put("ref", ArrayValue.of(ref));
        }
        if (r.args() != null) {
            head.put(
                    "args",
                    ArrayValue.of(
                            r.args().stream().map(RegoParseModuleBuiltin::term).toList()));
        }
        if (r.key() != null) {
            head.put("key", term(r.key()));
        }
        head.put("value", r.value() != null ? term(r.value()) : term("boolean", BooleanValue.TRUE));
        if (r.assign()) {
            head.put("assign", BooleanValue.TRUE);
        }
        ObjectValue.Builder b = ObjectValue.builder().put("head", head.build()).put("body", body(r.body()));
        if (r.isDefault()) {
            b.put("default", BooleanValue.TRUE);
        }
        if (r.elseRule() != null) {
            b.put("else", rule(r.elseRule()));
        }
        return b.build();
    }

    private static Value body(Body body) {
        List<Value> exprs = new ArrayList<>();
        for (int i = 0; i < body.exprs().size(); i++) {
            Expr e = body.exprs().get(i);
            ObjectValue.Builder b = ObjectValue.builder().put("index", NumberValue.of(i));
            if (e.negated()) {
                b.put("negated", BooleanValue.TRUE);
            }
            Expr.Kind k = e.kind();
            if (k instanceof Expr.TermExpr te) {
                b.put("terms", te.term() instanceof Term.Call c ? callArray(c) : term(te.term()));
            } else if (k instanceof Expr.SomeVars sv) {
                b.put(
                        "terms",
                        ObjectValue.builder()
                                .put(
                                        "symbols",
                                        ArrayValue.of(sv.vars().stream()
                                                .map(RegoParseModuleBuiltin::term)
                                                .toList()))
                                .build());
            } else if (k instanceof Expr.SomeIn si) {
                List<Value> call = new ArrayList<>();
                call.add(ref(si.key() == null ? "internal.member_2" : "internal.member_3"));
                if (si.key() != null) {
                    call.add(term(si.key()));
                }
                call.add(term(si.value()));
                call.add(term(si.collection()));
                b.put(
                        "terms",
                        ObjectValue.builder()
                                .put("symbols", ArrayValue.of(List.of(term("call", ArrayValue.of(call)))))
                                .build());
            } else if (k instanceof Expr.Every ev) {
                ObjectValue.Builder eb = ObjectValue.builder();
                if (ev.key() != null) {
                    eb.put("key", term(ev.key()));
                }
                b.put(
                        "terms",
                        eb.put("value", term(ev.value()))
                                .put("domain", term(ev.domain()))
                                .put("body", body(ev.body()))
                                .build());
            }
            if (!e.withs().isEmpty()) {
                b.put(
                        "with",
                        ArrayValue.of(e.withs().stream()
                                .map(w -> (Value) ObjectValue.builder()
                                        .put("target", term(w.target()))
                                        .put("value", term(w.value()))
                                        .build())
                                .toList()));
            }
            exprs.add(b.build());
        }
        return ArrayValue.of(exprs);
    }

    private static Value term(String type, Value value) {
        return ObjectValue.builder()
                .put("type", StringValue.of(type))
                .put("value", value)
                .build();
    }

    /** A built-in or function name as OPA writes an operator: a ref of a var and strings. */
    private static Value ref(String dotted) {
        String[] parts = dotted.split("\\.");
        List<Value> ref = new ArrayList<>();
        ref.add(term("var", StringValue.of(parts[0])));
        for (int i = 1; i < parts.length; i++) {
            ref.add(term("string", StringValue.of(parts[i])));
        }
        return term("ref", ArrayValue.of(ref));
    }

    private static ArrayValue callArray(Term.Call c) {
        List<Value> out = new ArrayList<>();
        out.add(ref(c.name()));
        c.args().forEach(a -> out.add(term(a)));
        return ArrayValue.of(out);
    }

    private static Value term(Term t) {
        if (t instanceof Term.Scalar s) {
            return scalar(s.value());
        }
        if (t instanceof Term.Var v) {
            return term("var", StringValue.of(v.name()));
        }
        if (t instanceof Term.Ref r) {
            List<Value> parts = new ArrayList<>();
            parts.add(term(r.head()));
            r.path().forEach(p -> parts.add(term(p)));
            return term("ref", ArrayValue.of(parts));
        }
        if (t instanceof Term.ArrayTerm a) {
            return term(
                    "array",
                    ArrayValue.of(
                            a.items().stream().map(RegoParseModuleBuiltin::term).toList()));
        }
        if (t instanceof Term.SetTerm s) {
            return term(
                    "set",
                    ArrayValue.of(
                            s.items().stream().map(RegoParseModuleBuiltin::term).toList()));
        }
        if (t instanceof Term.ObjectTerm o) {
            List<Value> pairs = new ArrayList<>();
            for (int i = 0; i < o.keys().size(); i++) {
                pairs.add(ArrayValue.of(term(o.keys().get(i)), term(o.values().get(i))));
            }
            return term("object", ArrayValue.of(pairs));
        }
        if (t instanceof Term.Call c) {
            return term("call", callArray(c));
        }
        if (t instanceof Term.ArrayCompr c) {
            return term(
                    "arraycomprehension",
                    ObjectValue.builder()
                            .put("term", term(c.head()))
                            .put("body", body(c.body()))
                            .build());
        }
        if (t instanceof Term.SetCompr c) {
            return term(
                    "setcomprehension",
                    ObjectValue.builder()
                            .put("term", term(c.head()))
                            .put("body", body(c.body()))
                            .build());
        }
        if (t instanceof Term.ObjectCompr c) {
            return term(
                    "objectcomprehension",
                    ObjectValue.builder()
                            .put("key", term(c.key()))
                            .put("value", term(c.value()))
                            .put("body", body(c.body()))
                            .build());
        }
        return term("string", StringValue.of(t.toString()));
    }

    private static Value scalar(Value v) {
        if (v instanceof StringValue) {
            return term("string", v);
        }
        if (v instanceof NumberValue) {
            return term("number", v);
        }
        if (v instanceof BooleanValue) {
            return term("boolean", v);
        }
        if (v instanceof NullValue) {
            return term("null", v);
        }
        if (v instanceof ArrayValue a) {
            return term(
                    "array",
                    ArrayValue.of(a.elements().stream()
                            .map(RegoParseModuleBuiltin::scalar)
                            .toList()));
        }
        if (v instanceof SetValue s) {
            return term(
                    "set",
                    ArrayValue.of(s.elements().stream()
                            .map(RegoParseModuleBuiltin::scalar)
                            .toList()));
        }
        ObjectValue o = (ObjectValue) v;
        List<Value> pairs = new ArrayList<>();
        for (Value k : o.keys()) {
            pairs.add(ArrayValue.of(scalar(k), scalar(o.get(k))));
        }
        return term("object", ArrayValue.of(pairs));
    }
}
