package io.opsmcp.rego.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.RefusedBuiltinException;
import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.parser.Parser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compile-time checks (after OPA's {@code ast.Compiler}): safety, type and arity errors, rule
 * conflicts, Rego v1 restrictions, and what the engine leaves to evaluation (recursion). Each
 * error names its code, the offending variable/rule/function and {@code file:row}.
 */
class CompilerTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static CompiledPolicy compile(String src) {
        return Rego.compile(Map.of("t.rego", src), null);
    }

    private static RegoException compileError(String src) {
        try {
            compile(src);
        } catch (RegoException e) {
            return e;
        }
        throw new AssertionError("compiled without error:\n" + src);
    }

    private static Optional<JsonNode> eval(String src, String rule) {
        return compile(src).evalRule(rule, null);
    }

    // ------------------------------------------------------------ safety

    @Test
    void aVariableOnlyReadIsUnsafe() {
        RegoException e = compileError("package t\n\np if {\n  x := y\n}\n");
        assertThat(e.code()).isEqualTo("rego_compile_error");
        assertThat(e.detail()).isEqualTo("var y is unsafe");
        assertThat(e.getMessage()).isEqualTo("t.rego:4: rego_compile_error: var y is unsafe");
    }

    @Test
    void aBareUnboundVariableIsUnsafe() {
        assertThat(compileError("package t\np if { x }\n").getMessage())
                .isEqualTo("t.rego:2: rego_compile_error: var x is unsafe");
    }

    @Test
    void aHeadVariableNotBoundByTheBodyIsUnsafe() {
        assertThat(compileError("package t\np := y if { true }\n").detail()).isEqualTo("var y is unsafe");
        assertThat(compileError("package t\ns contains y if { input.x }\n").detail())
                .isEqualTo("var y is unsafe");
        assertThat(compileError("package t\nf(x) := y if { x > 1 }\n").detail()).isEqualTo("var y is unsafe");
    }

    @Test
    void aVariableBoundOnlyUnderNegationIsUnsafe() {
        assertThat(compileError("package t\np if { not x = 1; x > 0 }\n").detail())
                .isEqualTo("var x is unsafe");
    }

    @Test
    void aWildcardOnTheRightOfAnAssignmentIsUnsafe() {
        assertThat(compileError("package t\np if { x := _ }\n").detail()).isEqualTo("var _ is unsafe");
    }

    @Test
    void unsafeVariablesInsideComprehensionsAndEvery() {
        assertThat(compileError("package t\np := [x | x := y]\n").detail()).isEqualTo("var y is unsafe");
        assertThat(compileError("package t\np if { every x in [1] { y > x } }\n")
                        .detail())
                .isEqualTo("var y is unsafe");
    }

    @Test
    void unificationIsReorderedForSafety() {
        // OPA reorders `x > 1` after the expression that binds x
        assertThat(eval("package t\np if { x > 1; x = 2 }\n", "data.t.p")).contains(M.readTree("true"));
        assertThat(eval("package t\np := y if { y = x + 1; x = input.n + 1 }\n", "data.t.p"))
                .isEmpty();
    }

    @Test
    void functionArgumentsAndSomeInBindVariables() {
        assertThat(eval("package t\nf(x) := y if { y := x * 2 }\np := f(21)\n", "data.t.p"))
                .contains(M.readTree("42"));
        assertThat(eval("package t\np contains v if { some k, v in {\"a\": 1}; k }\n", "data.t.p"))
                .contains(M.readTree("[1]"));
    }

    @Test
    void anAssignedVariableCannotBeAssignedAgain() {
        RegoException e = compileError("package t\np if {\n  x := 1\n  x := 2\n}\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:4: rego_compile_error: var x assigned above");
    }

    @Test
    void assignmentDeclaresALocalThatShadowsARule() {
        // `:=` declares; the rule q is not compared with 1
        assertThat(eval("package t\nq := 5\np := q if { q := 1 }\n", "data.t.p"))
                .contains(M.readTree("1"));
    }

    // ------------------------------------------------------------ calls: undefined, arity, literal types

    @Test
    void undefinedFunctionsAreTypeErrors() {
        assertThat(compileError("package t\np if { nope(1) }\n").getMessage())
                .isEqualTo("t.rego:2: rego_type_error: undefined function nope");
        assertThat(compileError("package t\np if { data.t.g(1) }\n").detail()).isEqualTo("undefined function data.t.g");
    }

    @Test
    void builtinArityMismatch() {
        RegoException e = compileError("package t\np if { count([1], 2, 3) }\n");
        assertThat(e.code()).isEqualTo("rego_type_error");
        assertThat(e.detail()).isEqualTo("count: arity mismatch\n\thave: (3 arguments)\n\twant: (1 arguments)");
        assertThat(e.location().row()).isEqualTo(2);
    }

    @Test
    void anExtraArgumentIsTheOutput() {
        // `count(xs, n)` is `n := count(xs)`, as in OPA
        assertThat(eval("package t\np := n if { count([1, 2], n) }\n", "data.t.p"))
                .contains(M.readTree("2"));
        assertThat(eval("package t\nf(x) := x + 1\np := y if { f(1, y) }\n", "data.t.p"))
                .contains(M.readTree("2"));
    }

    @Test
    void userFunctionArityMismatch() {
        RegoException e = compileError("package t\nf(x) := x\n\np if { f(1, 2, 3) }\n");
        assertThat(e.code()).isEqualTo("rego_type_error");
        assertThat(e.detail()).isEqualTo("f: arity mismatch");
        assertThat(e.location().row()).isEqualTo(4);
    }

    @Test
    void literalArgumentsAreTypeChecked() {
        RegoException e = compileError("package t\np if { upper(1) }\n");
        assertThat(e.detail()).isEqualTo("upper: invalid argument(s)\n\thave: (number)\n\twant: (string)");
        assertThat(compileError("package t\np if { count(1) }\n").detail()).startsWith("count: invalid argument(s)");
    }

    @Test
    void refusedBuiltinsFailAtCompileTime() {
        assertThatThrownBy(() -> compile("package t\np if { http.send({\"url\": \"x\"}) }\n"))
                .isInstanceOf(RefusedBuiltinException.class)
                .hasMessage("t.rego:2: rego_compile_error: http.send is not supported by ops-mcp");
    }

    @Test
    void withTargetsMustBeInputDataOrAFunction() {
        RegoException e = compileError("package t\np if { true with foo as 1 }\n");
        assertThat(e.getMessage())
                .isEqualTo(
                        "t.rego:2: rego_compile_error: with keyword target must reference existing input, data, or a function");
        assertThat(eval("package t\nq := input.x\np := v if { v := q with input.x as 3 }\n", "data.t.p"))
                .contains(M.readTree("3"));
    }

    // ------------------------------------------------------------ rule conflicts

    @Test
    void completeAndMultiValueRulesConflict() {
        RegoException e = compileError("package t\np := 1\np contains 2\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_type_error: conflicting rules data.t.p found");
    }

    @Test
    void aFunctionWithTwoAritiesConflicts() {
        // OPA: a function declared with a different number of arguments is a conflict
        RegoException e = compileError("package t\nf(x) := 1\nf(x, y) := 2\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_type_error: conflicting rules data.t.f found");
        assertThat(compileError("package t\nf(x) := 1\ndefault f(_, _) := 0\n").detail())
                .isEqualTo("conflicting rules data.t.f found");
    }

    @Test
    void aFunctionAndAValueAtOnePathConflict() {
        assertThat(compileError("package t\nf(x) := 1\nf := 2\n").detail())
                .isEqualTo("conflicting rules data.t.f found");
    }

    @Test
    void functionDefinitionsWithOneArityMerge() {
        String src = "package t\nf(x) := \"neg\" if x < 0\nf(x) := \"pos\" if x > 0\ndefault f(_) := \"zero\"\n"
                + "p := [f(-1), f(1), f(0)]\n";
        assertThat(eval(src, "data.t.p")).contains(M.readTree("[\"neg\", \"pos\", \"zero\"]"));
    }

    @Test
    void twoDefaultsForOneRuleConflict() {
        RegoException e = compileError("package t\ndefault p := 1\ndefault p := 2\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_type_error: multiple default rules data.t.p found");
    }

    @Test
    void conflictsAcrossModulesOfOnePackage() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("a.rego", "package t\np := 1\n");
        modules.put("b.rego", "package t\np contains 2\n");
        assertThatThrownBy(() -> Rego.compile(modules, null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("rego_type_error: conflicting rules data.t.p found");
    }

    @Test
    void differentConstantValuesConflictOnlyAtEvaluation() {
        // OPA's compiler accepts two complete rules with different values; evaluation fails
        CompiledPolicy p = compile("package t\np := 1\np := 2\n");
        assertThatThrownBy(() -> p.evalRule("data.t.p", null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_conflict_error: rule data.t.p produced conflicting values");
    }

    @Test
    void objectAndSingleValueRefHeadsMerge() {
        String src = "package t\na.b.c := 1\na.b.d := 2\na[k] := 3 if { k := \"e\" }\n";
        assertThat(eval(src, "data.t.a")).contains(M.readTree("{\"b\": {\"c\": 1, \"d\": 2}, \"e\": 3}"));
    }

    // ------------------------------------------------------------ recursion (detected at evaluation)

    @Test
    void mutualRecursionIsReportedWhenEvaluated() {
        // a documented difference (KNOWN_GAPS.md): OPA rejects this at compile time
        CompiledPolicy p = compile("package t\np if q\nq if p\n");
        assertThatThrownBy(() -> p.evalRule("data.t.p", null))
                .isInstanceOf(RegoException.class)
                .satisfies(e -> assertThat(((RegoException) e).code()).isEqualTo("rego_recursion_error"))
                .hasMessageContaining("rule data.t.p is recursive");
    }

    @Test
    void recursiveFunctionsAreReportedWhenCalled() {
        CompiledPolicy p = compile("package t\nf(x) := f(x)\np := f(1)\nq := 1\n");
        assertThat(p.evalRule("data.t.q", null)).contains(M.readTree("1"));
        assertThatThrownBy(() -> p.evalRule("data.t.p", null))
                .hasMessageContaining("rego_recursion_error: rule data.t.f is recursive");
    }

    @Test
    void aRuleReadingAnotherRuleOfTheSamePrefixIsNotRecursion() {
        String src = "package t\nroles := {\"admin\": [\"a\"]}\nallowed contains u if { some u in roles.admin }\n";
        assertThat(eval(src, "data.t.allowed")).contains(M.readTree("[\"a\"]"));
    }

    // ------------------------------------------------------------ Rego v1 restrictions

    @Test
    void inputAndDataCannotBeAssigned() {
        // OPA 1.x: reserved names, "variables must not shadow input (use a different variable name)"
        assertThat(compileError("package t\np if {\n  input := 1\n}\n").getMessage())
                .isEqualTo(
                        "t.rego:3: rego_compile_error: variables must not shadow input (use a different variable name)");
        assertThat(compileError("package t\np if { some data in [1] }\n").detail())
                .isEqualTo("variables must not shadow data (use a different variable name)");
        assertThat(compileError("package t\nf(input) := 1\n").detail())
                .isEqualTo("variables must not shadow input (use a different variable name)");
    }

    @Test
    void importsCannotShadowEachOther() {
        RegoException e = compileError("package t\nimport data.foo\nimport data.bar as foo\np := 1\n");
        assertThat(e.getMessage()).isEqualTo("t.rego:3: rego_compile_error: import must not shadow import data.foo");
        assertThat(compileError("package t\nimport data.x.roles\nimport input.roles\n")
                        .detail())
                .isEqualTo("import must not shadow import data.x.roles");
        assertThat(compileError("package t\nimport rego.v1\nimport rego.v1\n").detail())
                .isEqualTo("import must not shadow import rego.v1");
        // different names, and the keyword imports, are fine
        compile(
                "package t\nimport rego.v1\nimport future.keywords.in\nimport data.a.roles\nimport data.b.roles as broles\n");
    }

    @Test
    void importedNamesResolveToTheirPaths() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("lib.rego", "package lib.util\ndouble(x) := 2 * x\nlimit := 10\n");
        modules.put(
                "t.rego",
                "package t\nimport data.lib.util\nimport data.lib.util.limit as max\np := [util.double(max), util.limit]\n");
        assertThat(Rego.compile(modules, null).evalRule("data.t.p", null)).contains(M.readTree("[20, 10]"));
    }

    @Test
    void packageLocalRulesResolveBeforeImportsOfInput() {
        String src = "package t\nimport input.user\nname := user.name\n";
        assertThat(compile(src).evalRule("data.t.name", M.readTree("{\"user\": {\"name\": \"ann\"}}")))
                .contains(M.readTree("\"ann\""));
    }

    // ------------------------------------------------------------ the compiler's own API

    @Test
    void compiledTreeHasANodePerPackageAndRule() {
        List<Module> modules = List.of(
                Parser.parseModule("a.rego", "package a.b\np := 1\nf(x) := x\n"),
                Parser.parseModule("e.rego", "package empty\n"));
        Compiler.Compiled c = Compiler.compile(modules, BuiltinRegistry.standard());
        RuleNode b = c.root()
                .children()
                .get(io.opsmcp.rego.value.StringValue.of("a"))
                .children()
                .get(io.opsmcp.rego.value.StringValue.of("b"));
        assertThat(b.children())
                .containsKeys(io.opsmcp.rego.value.StringValue.of("p"), io.opsmcp.rego.value.StringValue.of("f"));
        assertThat(c.root().children()).containsKey(io.opsmcp.rego.value.StringValue.of("empty"));
    }

    @Test
    void queriesExposeTheirOutputVariables() {
        Compiler.Compiled c = Compiler.compile(
                List.of(Parser.parseModule("a.rego", "package a\nxs := [1, 2]\n")), BuiltinRegistry.standard());
        Compiler.CompiledQuery q = Compiler.compileQuery(
                Parser.parseQuery("some i; x := data.a.xs[i]; _ = i"), c, BuiltinRegistry.standard());
        assertThat(q.outputVars()).containsOnlyKeys("i", "x");
        assertThat(q.slots()).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> Compiler.compileQuery(Parser.parseQuery("x := y"), c, BuiltinRegistry.standard()))
                .hasMessageContaining("var y is unsafe");
    }
}
