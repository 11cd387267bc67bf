package io.opsmcp.rego.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Term;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Newer language constructs: keywords as reference parts, logical operators, template strings. */
class ParserLanguageTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static Optional<JsonNode> rule(String src, String path, String input) {
        CompiledPolicy p = Rego.compile(Map.of("t.rego", src), null);
        return p.evalRule(path, input == null ? null : M.readTree(input));
    }

    // ------------------------------------------------------------ keywords in refs

    @Test
    void keywordFollowedByDotIsAName() {
        Module m = Parser.parseModule("t.rego", "package a.with.else\n\nnot.x := 1\nq if { some.y == 2 }\n");
        assertThat(m.pkg()).containsExactly("a", "with", "else");
        assertThat(m.rules().get(0).ref().toString()).isEqualTo("not.x");
        Body b = m.rules().get(1).body();
        assertThat(b.exprs().get(0).kind()).isInstanceOf(Expr.TermExpr.class);
    }

    @Test
    void keywordSeparatedFromDotStaysAKeyword() {
        // `not .x` is a negation of an invalid term, not the name `not`
        assertThatThrownBy(() -> Parser.parseModule("t.rego", "package a\np if { not .x }\n"))
                .isInstanceOf(RegoException.class);
        Body b = Parser.parseQuery("not input.x");
        assertThat(b.exprs().get(0).negated()).isTrue();
        Body r = Parser.parseQuery("not.x == 1");
        assertThat(r.exprs().get(0).negated()).isFalse();
    }

    @Test
    void keywordRefRulesEvaluate() {
        String src = """
        package k
        default if.f(_) := 0
        if.f(x) := x if { x > 1 }
        true.v contains "a"
        in.deep.null := 3 if { true } else := 4
        p := [if.f(1), if.f(5), true.v, in.deep.null, data.k.in.deep.null]
        """;
        assertThat(rule(src, "data.k.p", null)).contains(M.readTree("[0, 5, [\"a\"], 3, 3]"));
    }

    // ------------------------------------------------------------ and / or / not bodies

    private static final String LOGIC = "package l\nimport future.keywords.and\nimport future.keywords.or\n";

    private static Expr firstExpr(Module m) {
        return m.rules().get(0).body().exprs().get(0);
    }

    @Test
    void andBindsTighterThanOr() {
        Module m = Parser.parseModule("t.rego", LOGIC + "p if { input.a or input.b and input.c or input.d }\n", true);
        Expr.Logical or = (Expr.Logical) firstExpr(m).kind();
        assertThat(or.or()).isTrue();
        assertThat(or.operands()).hasSize(3);
        Expr.Logical and = (Expr.Logical) or.operands().get(1).exprs().get(0).kind();
        assertThat(and.or()).isFalse();
        assertThat(and.operands()).hasSize(2);
    }

    @Test
    void groupsAndExplicitBodiesAreOperands() {
        Module m = Parser.parseModule(
                "t.rego", LOGIC + "p if { { x := 1; x > 0 } and (input.a or not input.b) with input as {} }\n", true);
        Expr e = firstExpr(m);
        assertThat(e.withs()).hasSize(1);
        Expr.Logical and = (Expr.Logical) e.kind();
        assertThat(and.operands().get(0).exprs()).hasSize(2);
        Expr.Logical inner = (Expr.Logical) and.operands().get(1).exprs().get(0).kind();
        assertThat(inner.or()).isTrue();
        assertThat(inner.operands().get(1).exprs().get(0).negated()).isTrue();
    }

    @Test
    void parenthesizedTermIsNotAGroup() {
        Module m = Parser.parseModule("t.rego", LOGIC + "p if { (1 + 2) == 3 }\nq := and({1}, {1})\n", true);
        assertThat(firstExpr(m).kind()).isInstanceOf(Expr.TermExpr.class);
        assertThat(logic("p := and({1, 2}, {2})", null)).contains(M.readTree("[2]"));
    }

    @Test
    void withOnAnOperandIsRejected() {
        assertThatThrownBy(() ->
                        Parser.parseModule("t.rego", LOGIC + "p if { input.a with input as 1 and input.b }\n", true))
                .hasMessageContaining("`with` modifier is not allowed on operand of `and`");
    }

    @Test
    void operatorPositionIsAlwaysTheKeyword() {
        // `x and(y)` is the keyword with a parenthesized operand, `and(a, b)` as a term is the set built-in
        Module m = Parser.parseModule("t.rego", LOGIC + "p if { input.a and(input.b) }\n", true);
        assertThat(firstExpr(m).kind()).isInstanceOf(Expr.Logical.class);
        assertThat(logic("p if { count(and({1, 2}, {2})) == 1 and or({1}, {2}) == {1, 2} }", null))
                .contains(M.readTree("true"));
    }

    @Test
    void unionInBracesIsAmbiguousAsAnOperand() {
        assertThatThrownBy(() -> Parser.parseModule("t.rego", LOGIC + "p if { { input.a | input.b } or true }\n", true))
                .hasMessageContaining("ambiguous `{ ... | ... }` operand");
        assertThatThrownBy(() -> Parser.parseModule("t.rego", LOGIC + "p if { true and {\"a\": 1} }\n", true))
                .hasMessageContaining("operand of `and` cannot begin with `{` unless the braces hold a body");
        assertThat(firstExpr(Parser.parseModule("t.rego", LOGIC + "p if { { or({1}, {2}) } or true }\n", true))
                        .kind())
                .isInstanceOf(Expr.Logical.class);
        // parenthesized, the union is a plain expression of the body
        assertThat(logic("p if { { ({1} | {2}) == {1, 2} } or false }", null)).contains(M.readTree("true"));
    }

    @Test
    void printOnlyOperandIsRejected() {
        assertThatThrownBy(() -> Parser.parseModule("t.rego", LOGIC + "p if { input.a or print(1) }\n", true))
                .hasMessageContaining("operand of `or` cannot consist only of calls to `print`");
    }

    @Test
    void regoV2ImportSwitchesTheKeywordsOn() {
        String src = "package l\nimport rego.v2\np if { not { input.a; input.b } or input.c and true }\n";
        Expr e = firstExpr(Parser.parseModule("t.rego", src, true));
        assertThat(((Expr.Logical) e.kind()).or()).isTrue();
        // without experimental keywords only the improved `not` comes with it
        assertThatThrownBy(() -> Parser.parseModule("t.rego", src, false)).isInstanceOf(RegoException.class);
        Expr n = firstExpr(Parser.parseModule("t.rego", "package l\nimport rego.v2\np if { not { input.a } }\n"));
        assertThat(n.negated()).isTrue();
    }

    @Test
    void experimentalKeywordsMustBeEnabled() {
        assertThatThrownBy(() -> Parser.parseModule("t.rego", "package l\nimport future.keywords.or\n"))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("rego_parse_error")
                .hasMessageContaining("unexpected keyword, must be one of [contains every if in not]");
        // without the import, `and` and `or` stay names (the set built-ins)
        Module m = Parser.parseModule("t.rego", "package l\nimport future.keywords\np := or({1}, {2})\n");
        assertThat(m.rules()).hasSize(1);
    }

    @Test
    void notBodyNeedsTheNotImport() {
        assertThatThrownBy(() -> Parser.parseModule("t.rego", "package l\np if { not { input.a; input.b } }\n"))
                .isInstanceOf(RegoException.class);
        Module m = Parser.parseModule(
                "t.rego", "package l\nimport future.keywords.not\np if { not { input.a; input.b } }\n");
        Expr e = firstExpr(m);
        assertThat(e.negated()).isTrue();
        assertThat(((Expr.Logical) e.kind()).operands().get(0).exprs()).hasSize(2);
    }

    private static Optional<JsonNode> logic(String body, String input) {
        CompiledPolicy p = Rego.builder()
                .experimentalKeywords(true)
                .strictBuiltinErrors(true)
                .build(Map.of("t.rego", LOGIC + "import future.keywords.not\n" + body), (JsonNode) null);
        return p.evalRule("data.l.p", input == null ? null : M.readTree(input));
    }

    @Test
    void operandsShortCircuitLeftToRight() {
        // the right operand would raise a strict built-in error
        assertThat(logic("p if { input.n > 0 and to_number(\"x\") == 1 }", "{\"n\": 0}"))
                .isEmpty();
        assertThat(logic("p if { input.n > 0 or to_number(\"x\") == 1 }", "{\"n\": 1}"))
                .contains(M.readTree("true"));
        assertThatThrownBy(() -> logic("p if { input.n > 0 or to_number(\"x\") == 1 }", "{\"n\": 0}"))
                .hasMessageContaining("to_number");
    }

    @Test
    void operandBodiesHaveTheirOwnScopeAndCountOnce() {
        assertThat(logic("p := [i | some i in [1, 2, 3]; { j := i; j > 1 } or { j := 0; i == 1 }]", null))
                .contains(M.readTree("[1, 2, 3]"));
        assertThat(logic("p := [1 | { some n in [1, 2, 3]; n > 0 } and { some n in [4, 5]; n > 0 }]", null))
                .contains(M.readTree("[1]"));
        assertThat(logic("p if { not { some n in input.xs; n < 0 or n > 9 } }", "{\"xs\": [1, 5]}"))
                .contains(M.readTree("true"));
        assertThat(logic("p if { not { some n in input.xs; n < 0 or n > 9 } }", "{\"xs\": [1, 50]}"))
                .isEmpty();
    }

    // ------------------------------------------------------------ template strings

    @Test
    void templateLowersToTheInternalBuiltin() {
        Term t = Parser.parseTerm("$\"a{1}b{input.x with input as 2}\"");
        Term.Call c = (Term.Call) t;
        assertThat(c.name()).isEqualTo("internal.template_string");
        Term.ArrayTerm parts = (Term.ArrayTerm) c.args().get(0);
        assertThat(parts.items()).hasSize(4);
        assertThat(parts.items().get(1)).isInstanceOf(Term.Scalar.class);
        Term.SetCompr sc = (Term.SetCompr) parts.items().get(3);
        assertThat(sc.body().exprs().get(0).withs()).hasSize(1);
    }

    @Test
    void templateExpressionsMustBeValues() {
        assertThatThrownBy(() -> Parser.parseTerm("$\"{x := 1}\""))
                .hasMessageContaining("unexpected assignment (':=') in template-string expression");
        assertThatThrownBy(() -> Parser.parseTerm("$\"{x = 1}\""))
                .hasMessageContaining("unexpected unification ('=') in template-string expression");
        assertThatThrownBy(() -> Parser.parseTerm("$\"{not x}\""))
                .hasMessageContaining("unexpected negation ('not') in template-string expression");
        assertThatThrownBy(() -> Parser.parseTerm("$\"{some x in y}\""))
                .hasMessageContaining("unexpected 'some' in template-string expression");
        assertThatThrownBy(() -> Parser.parseTerm("$\"{x y}\""))
                .hasMessageContaining("expected } to end template string expression");
        assertThatThrownBy(() -> Parser.parseTerm("$\"{}\""))
                .hasMessageContaining("invalid template-string expression");
    }

    @Test
    void templatesRender() {
        String src = """
        package t
        name := "ann"
        f($"{x}-{input.k}") := x if { x := "z" }
        p := [$"hi {name}, {[1, {"a": null}]} {input.missing}", $`{1.5}
        {true}`, f("z-v")]
        many := $"{input.xs[_]}"
        """;
        CompiledPolicy p = Rego.compile(Map.of("t.rego", src), null);
        JsonNode in = M.readTree("{\"k\": \"v\", \"xs\": [1, 2]}");
        assertThat(p.evalRule("data.t.p", in))
                .contains(M.readTree("[\"hi ann, [1, {\\\"a\\\": null}] <undefined>\", \"1.5\\ntrue\", \"z\"]"));
        assertThatThrownBy(() -> p.evalRule("data.t.many", in))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_conflict_error")
                .hasMessageContaining("template-strings must not produce multiple outputs");
    }

    // ------------------------------------------------------------ key, value membership

    @Test
    void keyValueMembershipInSets() {
        Body b = Parser.parseQuery("\"a\", \"a\" in {\"a\"}");
        Term.Call c = (Term.Call) ((Expr.TermExpr) b.exprs().get(0).kind()).term();
        assertThat(c.name()).isEqualTo("internal.member_3");
        String src = """
        package m
        p := [("a", "a" in {"a"}), ("a", "b" in {"a"}), ("b", "b" in {"a"}), (0, "x" in ["x"])]
        q if "k", "k" in {"k"}
        """;
        assertThat(rule(src, "data.m.p", null)).contains(M.readTree("[true, false, false, true]"));
        assertThat(rule(src, "data.m.q", null)).contains(M.readTree("true"));
    }
}
