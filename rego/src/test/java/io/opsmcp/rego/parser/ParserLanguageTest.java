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
}
