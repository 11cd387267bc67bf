package io.opsmcp.rego.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Rule;
import io.opsmcp.rego.ast.Term;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parser's AST for every statement form of Rego v1 and its errors (code, message, file:row:col),
 * compared with what OPA 1.x parses and reports.
 */
class ParserTest {

    // ------------------------------------------------------------ helpers: the AST as text

    private static Module module(String src) {
        return Parser.parseModule("t.rego", src);
    }

    private static Rule onlyRule(String rules) {
        Module m = module("package t\n" + rules + "\n");
        assertThat(m.rules()).hasSize(1);
        return m.rules().get(0);
    }

    /** The single expression of a one-expression query, as text. */
    private static String q(String query) {
        Body b = Parser.parseQuery(query);
        assertThat(b.exprs()).hasSize(1);
        return show(b.exprs().get(0));
    }

    private static RegoException parseError(String src) {
        try {
            Parser.parseModule("t.rego", src);
        } catch (RegoException e) {
            assertThat(e.code()).isEqualTo("rego_parse_error");
            return e;
        }
        throw new AssertionError("no parse error for:\n" + src);
    }

    static String show(Body b) {
        return b.exprs().stream().map(ParserTest::show).collect(Collectors.joining("; "));
    }

    static String show(Expr e) {
        String k;
        if (e.kind() instanceof Expr.TermExpr t) {
            k = show(t.term());
        } else if (e.kind() instanceof Expr.SomeVars s) {
            k = "some " + s.vars().stream().map(ParserTest::show).collect(Collectors.joining(", "));
        } else if (e.kind() instanceof Expr.SomeIn s) {
            k = "some " + (s.key() == null ? "" : show(s.key()) + ", ") + show(s.value()) + " in "
                    + show(s.collection());
        } else if (e.kind() instanceof Expr.Every ev) {
            k = "every " + (ev.key() == null ? "" : show(ev.key()) + ", ") + show(ev.value()) + " in "
                    + show(ev.domain()) + " { " + show(ev.body()) + " }";
        } else {
            Expr.Logical l = (Expr.Logical) e.kind();
            k = (l.or() ? "or" : "and")
                    + l.operands().stream().map(ParserTest::show).collect(Collectors.joining(" | ", "(", ")"));
        }
        StringBuilder sb = new StringBuilder(e.negated() ? "not " + k : k);
        for (Expr.With w : e.withs()) {
            sb.append(" with ").append(show(w.target())).append(" as ").append(show(w.value()));
        }
        return sb.toString();
    }

    static String show(Term t) {
        if (t instanceof Term.Scalar s) {
            return s.value().toString();
        } else if (t instanceof Term.Var v) {
            return v.isWildcard() ? "_" + v.name().substring(1) : v.name();
        } else if (t instanceof Term.Ref r) {
            return show(r.head())
                    + r.path().stream().map(p -> "[" + show(p) + "]").collect(Collectors.joining());
        } else if (t instanceof Term.ArrayTerm a) {
            return list("[", a.items(), "]");
        } else if (t instanceof Term.SetTerm s) {
            return s.items().isEmpty() ? "set()" : list("{", s.items(), "}");
        } else if (t instanceof Term.ObjectTerm o) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < o.keys().size(); i++) {
                sb.append(i == 0 ? "" : ", ")
                        .append(show(o.keys().get(i)))
                        .append(": ")
                        .append(show(o.values().get(i)));
            }
            return sb.append('}').toString();
        } else if (t instanceof Term.ArrayCompr c) {
            return "[" + show(c.head()) + " | " + show(c.body()) + "]";
        } else if (t instanceof Term.SetCompr c) {
            return "{" + show(c.head()) + " | " + show(c.body()) + "}";
        } else if (t instanceof Term.ObjectCompr c) {
            return "{" + show(c.key()) + ": " + show(c.value()) + " | " + show(c.body()) + "}";
        } else if (t instanceof Term.Call c) {
            return c.name() + list("(", c.args(), ")");
        }
        return ((Term.FuncRef) t).name();
    }

    private static String list(String open, List<Term> items, String close) {
        return items.stream().map(ParserTest::show).collect(Collectors.joining(", ", open, close));
    }

    // ------------------------------------------------------------ package and imports

    @Test
    void packagePathDropsALeadingData() {
        assertThat(module("package a.b.c\n").pkg()).containsExactly("a", "b", "c");
        assertThat(module("package data.a\n").pkg()).containsExactly("a");
        assertThat(module("package a[\"b-c\"].d\n").pkg()).containsExactly("a", "b-c", "d");
        Module m = module("# c\n\npackage x\n");
        assertThat(m.loc().row()).isEqualTo(3);
        assertThat(m.rules()).isEmpty();
    }

    @Test
    void aPackageHasOnlyStringParts() {
        RegoException e = parseError("package a[1]\n");
        assertThat(e.detail()).isEqualTo("invalid package path");
        assertThat(e.getMessage()).isEqualTo("t.rego:1: rego_parse_error: invalid package path");
    }

    @Test
    void aModuleStartsWithItsPackage() {
        assertThat(parseError("").detail()).isEqualTo("empty module");
        assertThat(parseError("# only a comment\n").detail()).isEqualTo("empty module");
        RegoException e = parseError("\np := 1\n");
        assertThat(e.detail()).isEqualTo("package expected");
        assertThat(e.location().row()).isEqualTo(2);
        assertThat(e.location().col()).isEqualTo(1);
        assertThat(parseError("package a\npackage b\n").getMessage())
                .isEqualTo("t.rego:2: rego_parse_error: unexpected package keyword");
    }

    @Test
    void importsKeepPathAndAlias() {
        Module m = module("""
                package t
                import data.lib.helpers
                import data.roles as r
                import input.user
                import rego.v1
                import future.keywords.in
                """);
        assertThat(m.imports())
                .extracting(i -> show(i.path()) + (i.alias() == null ? "" : " as " + i.alias()))
                .containsExactly(
                        "data[\"lib\"][\"helpers\"]",
                        "data[\"roles\"] as r",
                        "input[\"user\"]",
                        "rego[\"v1\"]",
                        "future[\"keywords\"][\"in\"]");
        assertThat(m.imports().get(1).loc().row()).isEqualTo(3);
    }

    @Test
    void importsMustBeRootedAtDataOrInput() {
        RegoException e = parseError("package t\n\nimport foo.bar\n");
        assertThat(e.getMessage())
                .isEqualTo("t.rego:3: rego_parse_error: invalid import path: must begin with input or data");
    }

    @Test
    void futureImportsAreChecked() {
        assertThat(parseError("package t\nimport future.keywords.foo\n").detail())
                .isEqualTo("unexpected keyword, must be one of [contains every if in not]");
        assertThat(parseError("package t\nimport future.keywords as k\n").detail())
                .isEqualTo("`future` imports cannot be aliased");
        assertThat(parseError("package t\nimport future.other\n").detail())
                .isEqualTo("invalid import, must be `future.keywords`");
    }

    // ------------------------------------------------------------ rule forms

    @Test
    void constantRule() {
        Rule r = onlyRule("p := 7");
        assertThat(show(r.ref())).isEqualTo("p");
        assertThat(r.args()).isNull();
        assertThat(r.key()).isNull();
        assertThat(show(r.value())).isEqualTo("7");
        assertThat(r.assign()).isTrue();
        assertThat(show(r.body())).isEqualTo("true");
        assertThat(r.isDefault()).isFalse();
        assertThat(r.elseRule()).isNull();
        assertThat(onlyRule("p = 7").assign()).isFalse();
    }

    @Test
    void booleanRuleWithIfBody() {
        Rule r = onlyRule("allow if {\n  input.user == \"alice\"\n  input.method == \"GET\"\n}");
        assertThat(r.value()).isNull();
        assertThat(show(r.body())).isEqualTo("equal(input[\"user\"], \"alice\"); equal(input[\"method\"], \"GET\")");
    }

    @Test
    void ifWithASingleExpressionNeedsNoBraces() {
        Rule r = onlyRule("deny := msg if msg := input.reason");
        assertThat(show(r.value())).isEqualTo("msg");
        assertThat(show(r.body())).isEqualTo("assign(msg, input[\"reason\"])");
    }

    @Test
    void braceBodyExpressionsSeparateBySemicolonOrNewline() {
        assertThat(show(onlyRule("p if { x := 1; y := 2\n z := 3 }").body()))
                .isEqualTo("assign(x, 1); assign(y, 2); assign(z, 3)");
    }

    @Test
    void multiValueRuleWithContains() {
        Rule r = onlyRule("names contains n if { some n in input.names }");
        assertThat(show(r.ref())).isEqualTo("names");
        assertThat(show(r.key())).isEqualTo("n");
        assertThat(r.value()).isNull();
        assertThat(show(r.body())).isEqualTo("some n in input[\"names\"]");
        assertThat(show(onlyRule("s contains \"a\"").key())).isEqualTo("\"a\"");
    }

    @Test
    void refHeadRules() {
        assertThat(show(onlyRule("a.b.c := 1").ref())).isEqualTo("a[\"b\"][\"c\"]");
        Rule r = onlyRule("by_id[id] := u if { some u in input.users; id := u.id }");
        assertThat(show(r.ref())).isEqualTo("by_id[id]");
        assertThat(show(r.value())).isEqualTo("u");
        // v1: a ref head without a value is single-valued with the value true (not a partial set)
        Rule set = onlyRule("seen[x] if { some x in input.xs }");
        assertThat(show(set.ref())).isEqualTo("seen[x]");
        assertThat(set.key()).isNull();
        assertThat(set.value()).isNull();
    }

    @Test
    void functions() {
        Rule f = onlyRule("add(x, y) := x + y");
        assertThat(show(f.ref())).isEqualTo("add");
        assertThat(f.args()).extracting(ParserTest::show).containsExactly("x", "y");
        assertThat(show(f.value())).isEqualTo("plus(x, y)");
        Rule g = onlyRule("is_admin(user) if \"admin\" in user.roles");
        assertThat(g.value()).isNull();
        assertThat(show(g.body())).isEqualTo("internal.member_2(\"admin\", user[\"roles\"])");
        Rule h = onlyRule("first([a, _]) := a");
        assertThat(h.args()).extracting(ParserTest::show).containsExactly("[a, _0]");
        assertThat(onlyRule("zero() := 0").args()).isEmpty();
    }

    @Test
    void defaultRules() {
        Rule d = onlyRule("default allow := false");
        assertThat(d.isDefault()).isTrue();
        assertThat(show(d.value())).isEqualTo("false");
        assertThat(show(d.body())).isEqualTo("true");
        Rule f = onlyRule("default f(_) := 0");
        assertThat(f.isDefault()).isTrue();
        assertThat(f.args()).hasSize(1);
    }

    @Test
    void aDefaultRuleNeedsAValue() {
        RegoException e = parseError("package t\n\ndefault allow\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_parse_error: default rule must have a value");
    }

    @Test
    void elseChains() {
        Rule r = onlyRule("""
                level := "high" if {
                  input.score > 90
                } else := "mid" if {
                  input.score > 50
                } else := "low"
                """);
        assertThat(show(r.value())).isEqualTo("\"high\"");
        Rule e1 = r.elseRule();
        assertThat(show(e1.value())).isEqualTo("\"mid\"");
        assertThat(show(e1.body())).isEqualTo("gt(input[\"score\"], 50)");
        assertThat(e1.loc().row()).isEqualTo(4);
        Rule e2 = e1.elseRule();
        assertThat(show(e2.value())).isEqualTo("\"low\"");
        assertThat(show(e2.body())).isEqualTo("true");
        assertThat(e2.elseRule()).isNull();
    }

    @Test
    void elseWithoutAValueIsTrue() {
        Rule r = onlyRule("p := false if { input.x } else if { input.y }");
        assertThat(r.elseRule().value()).isNull();
        assertThat(show(r.elseRule().body())).isEqualTo("input[\"y\"]");
    }

    @Test
    void ruleLocationsAreTheirFirstToken() {
        Module m = module("package t\n\n  p := 1\ndefault q := 2\n");
        assertThat(m.rules()).extracting(r -> r.loc().toString()).containsExactly("t.rego:3:3", "t.rego:4:1");
    }

    // ------------------------------------------------------------ Rego v1 requirements

    @Test
    void aRuleBodyNeedsIf() {
        // OPA 1.x: "`if` keyword is required before rule body" (Rego v0 syntax is refused)
        RegoException e = parseError("package t\n\nallow {\n  true\n}\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_parse_error: `if` keyword is required before rule body");
        assertThat(parseError("package t\np := 1 { true }\n").detail())
                .isEqualTo("`if` keyword is required before rule body");
        assertThat(parseError("package t\nimport rego.v1\np contains x { x := 1 }\n")
                        .detail())
                .isEqualTo("`if` keyword is required before rule body");
    }

    @Test
    void aFunctionBodyNeedsIf() {
        assertThat(parseError("package t\nf(x) := 1 { x > 0 }\n").getMessage())
                .isEqualTo("t.rego:2: rego_parse_error: `if` keyword is required before function body");
    }

    @Test
    void aV0PartialSetIsRefused() {
        // `p[x] { ... }` was a partial set in v0; OPA 1.x reports the missing `if` first
        assertThat(parseError("package t\np[x] { x := 1 }\n").getMessage())
                .isEqualTo("t.rego:2: rego_parse_error: `if` keyword is required before rule body");
    }

    @Test
    void keywordsAreNotRuleNames() {
        RegoException e = parseError("package t\nif := 1\n");
        assertThat(e.detail()).isEqualTo("unexpected ident token");
        assertThat(e.location().row()).isEqualTo(2);
        assertThat(parseError("package t\np := every\n").detail()).isEqualTo("unexpected every keyword");
    }

    @Test
    void importRegoV1IsAccepted() {
        Module m = module("package t\nimport rego.v1\np contains 1 if true\n");
        assertThat(m.rules()).hasSize(1);
    }

    // ------------------------------------------------------------ some, every, not, with

    @Test
    void someDeclarations() {
        assertThat(q("some x")).isEqualTo("some x");
        assertThat(q("some x, y")).isEqualTo("some x, y");
        assertThat(q("some x in xs")).isEqualTo("some x in xs");
        assertThat(q("some k, v in input.obj")).isEqualTo("some k, v in input[\"obj\"]");
        assertThat(q("some [a, b] in pairs")).isEqualTo("some [a, b] in pairs");
        assertThat(q("some x in [1, 2] | {3}")).isEqualTo("some x in or([1, 2], {3})");
    }

    @Test
    void someDeclarationErrors() {
        RegoException three = parseError("package t\np if { some a, b, c in xs }\n");
        assertThat(three.detail()).isEqualTo("unexpected in keyword");
        assertThat(three.location().col()).isEqualTo(21);
        assertThat(parseError("package t\np if { some 1 }\n").detail()).isEqualTo("expected var in some declaration");
        assertThat(parseError("package t\np if { some x, 1 }\n").detail())
                .isEqualTo("expected var in some declaration");
    }

    @Test
    void everyExpressions() {
        assertThat(q("every x in xs { x > 0 }")).isEqualTo("every x in xs { gt(x, 0) }");
        assertThat(q("every k, v in o { k != v; v }")).isEqualTo("every k, v in o { neq(k, v); v }");
        RegoException e = parseError("package t\np if { every x { true } }\n");
        assertThat(e.detail()).isEqualTo("unexpected { token: expected in");
        assertThat(parseError("package t\np if { every x in xs }\n").detail())
                .isEqualTo("unexpected } token: expected {");
    }

    @Test
    void negationAndWith() {
        assertThat(q("not input.x")).isEqualTo("not input[\"x\"]");
        assertThat(q("allow with input as {\"u\": 1} with data.roles.admin as []"))
                .isEqualTo("allow with input as {\"u\": 1} with data[\"roles\"][\"admin\"] as []");
        assertThat(q("not f(1) with f as g")).isEqualTo("not f(1) with f as g");
        Expr e = Parser.parseQuery("x with input.a as 1").exprs().get(0);
        assertThat(e.withs().get(0).loc().col()).isEqualTo(3);
    }

    @Test
    void withNeedsAs() {
        assertThat(parseError("package t\np if { q with input 1 }\n").detail())
                .isEqualTo("unexpected number token: expected as");
    }

    // ------------------------------------------------------------ terms

    @Test
    void compositeLiterals() {
        assertThat(show(Parser.parseTerm("[1, \"a\", true, null, [], {}, set()]")))
                .isEqualTo("[1, \"a\", true, null, [], {}, set()]");
        assertThat(show(Parser.parseTerm("{\"a\": 1, \"b\": {2, 3}}"))).isEqualTo("{\"a\": 1, \"b\": {2, 3}}");
        assertThat(show(Parser.parseTerm("{1}"))).isEqualTo("{1}");
        // trailing commas, as OPA allows them
        assertThat(show(Parser.parseTerm("[1, 2,]"))).isEqualTo("[1, 2]");
        assertThat(show(Parser.parseTerm("{1,}"))).isEqualTo("{1}");
        assertThat(show(Parser.parseTerm("{\"a\": 1,}"))).isEqualTo("{\"a\": 1}");
    }

    @Test
    void comprehensions() {
        assertThat(show(Parser.parseTerm("[x | some x in xs; x > 1]"))).isEqualTo("[x | some x in xs; gt(x, 1)]");
        assertThat(show(Parser.parseTerm("{x | x := xs[_]}"))).isEqualTo("{x | assign(x, xs[_0])}");
        assertThat(show(Parser.parseTerm("{k: v | some k, v in o}"))).isEqualTo("{k: v | some k, v in o}");
        // the head of a comprehension stops at `|`; the body may use `|` again inside parentheses
        assertThat(show(Parser.parseTerm("[x | x := (a | b)]"))).isEqualTo("[x | assign(x, or(a, b))]");
        assertThat(show(Parser.parseTerm("[x | x := 1\n y := 2]"))).isEqualTo("[x | assign(x, 1); assign(y, 2)]");
    }

    @Test
    void references() {
        assertThat(show(Parser.parseTerm("input.a.b[0][\"c d\"][x]"))).isEqualTo("input[\"a\"][\"b\"][0][\"c d\"][x]");
        assertThat(show(Parser.parseTerm("data.x[_][_]"))).isEqualTo("data[\"x\"][_0][_1]");
        assertThat(show(Parser.parseTerm("[1, 2][0]"))).isEqualTo("[1, 2][0]");
        assertThat(show(Parser.parseTerm("{\"a\": 1}.a"))).isEqualTo("{\"a\": 1}[\"a\"]");
        assertThat(show(Parser.parseTerm("f(x).y[0]"))).isEqualTo("f(x)[\"y\"][0]");
        assertThat(show(Parser.parseTerm("xs[i + 1]"))).isEqualTo("xs[plus(i, 1)]");
    }

    @Test
    void calls() {
        assertThat(show(Parser.parseTerm("count(xs)"))).isEqualTo("count(xs)");
        assertThat(show(Parser.parseTerm("time.now_ns()"))).isEqualTo("time.now_ns()");
        assertThat(show(Parser.parseTerm("data.lib.f(1, 2,)"))).isEqualTo("data.lib.f(1, 2)");
        // a call needs a name: a ref with a variable part is not callable
        RegoException e = parseError("package t\np := a[x](1)\n");
        assertThat(e.detail()).isEqualTo("unexpected ( token");
    }

    @Test
    void aDotAfterALineBreakDoesNotContinueAReference() {
        RegoException e = parseError("package t\np := input\n.a\n");
        assertThat(e.location() + " " + e.detail()).isEqualTo("t.rego:3:1 unexpected . token");
        assertThat(catchQuery("x := input\n.a").detail()).isEqualTo("unexpected . token");
    }

    @Test
    void numbersAreExact() {
        assertThat(show(Parser.parseTerm("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(show(Parser.parseTerm("-5"))).isEqualTo("-5");
        assertThat(show(Parser.parseTerm("1.5e3"))).isEqualTo("1500");
        // `- x` is a subtraction from zero, `-1` a negative literal
        assertThat(show(Parser.parseTerm("-x"))).isEqualTo("minus(0, x)");
        assertThat(show(Parser.parseTerm("- 1"))).isEqualTo("minus(0, 1)");
        assertThat(show(Parser.parseTerm("2--1"))).isEqualTo("minus(2, -1)");
    }

    // ------------------------------------------------------------ operator precedence (OPA's)

    @ParameterizedTest
    @CsvSource(
            delimiterString = "=>",
            quoteCharacter = '\'',
            value = {
                "1 + 2 * 3               => plus(1, mul(2, 3))",
                "(1 + 2) * 3             => mul(plus(1, 2), 3)",
                "a - b - c               => minus(minus(a, b), c)",
                "a / b * c % d           => rem(mul(div(a, b), c), d)",
                "a + b == c * d          => equal(plus(a, b), mul(c, d))",
                "a < b == true           => equal(lt(a, b), true)",
                "a | b & c               => or(a, and(b, c))",
                "a & b + c               => and(a, plus(b, c))",
                "a | b == c              => equal(or(a, b), c)",
                "x := a + 1              => assign(x, plus(a, 1))",
                "x = y == z              => eq(x, equal(y, z))",
                "x := 1 in xs            => assign(x, internal.member_2(1, xs))",
                "1 + 1 in xs             => internal.member_2(plus(1, 1), xs)",
                "a == b in c             => internal.member_2(equal(a, b), c)",
                "k, v in o               => internal.member_3(k, v, o)",
                "x := (k, v in o)        => assign(x, internal.member_3(k, v, o))",
                "a >= b != c <= d        => lte(neq(gte(a, b), c), d)",
            })
    void precedence(String query, String ast) {
        assertThat(q(query)).isEqualTo(ast);
    }

    // ------------------------------------------------------------ template strings

    @Test
    void templateStringsLowerToTheInternalBuiltin() {
        assertThat(show(Parser.parseTerm("$\"user {input.name} has {2} roles\"")))
                .isEqualTo("internal.template_string([\"user \", {#tmpl0 | eq(#tmpl0, input[\"name\"])}, \" has \", 2,"
                        + " \" roles\"])");
        assertThat(show(Parser.parseTerm("$`raw {x}`")))
                .isEqualTo("internal.template_string([\"raw \", {#tmpl0 | eq(#tmpl0, x)}])");
    }

    @Test
    void templateExpressionsAreCheckedAtTheirPosition() {
        RegoException e = parseError("package t\np := $\"{x := 1}\"\n");
        assertThat(e.getMessage())
                .isEqualTo("t.rego:2: rego_parse_error: unexpected assignment (':=') in template-string expression");
        assertThat(parseError("package t\np := $\"a{}\"\n").detail()).isEqualTo("invalid template-string expression");
        assertThat(parseError("package t\np := $\"a{x\"\n").detail()).isEqualTo("non-terminated string");
    }

    // ------------------------------------------------------------ queries

    @Test
    void queriesSeparateExpressionsByNewlineOrSemicolon() {
        Body b = Parser.parseQuery("x := 1; y := x + 1\nz := y");
        assertThat(show(b)).isEqualTo("assign(x, 1); assign(y, plus(x, 1)); assign(z, y)");
        assertThat(b.exprs())
                .extracting(e -> e.loc().row() + ":" + e.loc().col())
                .containsExactly("1:1", "1:9", "2:1");
    }

    @Test
    void queryErrors() {
        RegoException empty = catchQuery("  ");
        assertThat(empty.detail()).isEqualTo("empty query");
        RegoException twoOnALine = catchQuery("x := 1 y := 2");
        assertThat(twoOnALine.detail()).isEqualTo("unexpected ident token: expected \\n or ; or eof");
        assertThat(twoOnALine.location().col()).isEqualTo(8);
    }

    private static RegoException catchQuery(String src) {
        try {
            Parser.parseQuery(src);
        } catch (RegoException e) {
            return e;
        }
        throw new AssertionError("no error for " + src);
    }

    // ------------------------------------------------------------ malformed input: message and position

    @ParameterizedTest
    @CsvSource(
            delimiterString = "=>",
            quoteCharacter = '\'',
            value = {
                // source (a line break written as ⏎) => file:row:col => message
                "p :=                                => t.rego:3:1  => unexpected eof token",
                "p if { }                            => t.rego:2:6  => found empty body",
                "p := [1, 2                          => t.rego:3:1  => unexpected eof token: expected ]",
                "p := {\"a\" 1}                      => t.rego:2:11 => unexpected number token: expected }",
                "p := {\"a\": 1, \"b\"}              => t.rego:2:18 => unexpected } token: expected :",
                "p if { x := }                       => t.rego:2:13 => unexpected } token",
                "p := f(1                            => t.rego:3:1  => unexpected eof token: expected )",
                "p if {⏎  x := 1⏎  y := ⏎}           => t.rego:5:1  => unexpected } token",
                "p := input.                         => t.rego:3:1  => unexpected eof token: expected ident",
                "p := \"abc                          => t.rego:2:6  => non-terminated string",
                "p := \"\\z\"                        => t.rego:2:6  => illegal escape sequence",
                "p := 1 @                            => t.rego:2:8  => illegal token '@'",
                "p := not                            => t.rego:2:6  => unexpected not keyword",
                "p(x := 1                            => t.rego:2:5  => unexpected := token: expected )",
                "p := [x | ]                         => t.rego:2:6  => found empty body",
                "p := {x | }                         => t.rego:2:6  => found empty body",
                "p if {}                             => t.rego:2:6  => found empty body",
            })
    void malformedInputNamesThePosition(String body, String where, String message) {
        String src = "package t\n" + body.strip().replace("⏎", "\n") + "\n";
        RegoException e = parseError(src);
        assertThat(e.location() + " " + e.detail()).isEqualTo(where + " " + message);
        assertThat(e.getMessage()).startsWith(where.substring(0, where.lastIndexOf(':')) + ": rego_parse_error: ");
    }
}
