package io.opsmcp.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's per-node state (the evaluation's document cache, the recursion check) is kept by the compiled
 * tree's node index; a {@code with} scope's cache and a tree whose nodes are not numbered use maps. All must decide
 * alike, on both paths.
 */
class NodeStateTest {
    private static final String MODULE = """
            package t
            q := 1
            r := q + 1
            s := x if {
              x := r with data.t.q as 5
            }
            u := [r, s, r]
            p if w
            w if p
            """;

    private static Optional<Value> numbered(CompiledPolicy p, String rule, boolean general) {
        return p.evalDocument("data.t." + rule, null, new EvalSettings(null, null, 0, general));
    }

    private static Optional<Value> unnumbered(CompiledPolicy p, String rule, boolean general) {
        Evaluator ev = new Evaluator(
                p.ruleTree(),
                0,
                null,
                ObjectValue.EMPTY,
                BuiltinRegistry.standard(),
                Map.of(),
                null,
                new EvalOptions(false, 0, line -> {}, ZoneOffset.UTC, 0, !general));
        return ev.document(List.of(StringValue.of("t"), StringValue.of(rule)));
    }

    @Test
    void eachWithScopeKeepsItsOwnDocumentsNumberedOrNot() {
        CompiledPolicy p = Rego.compile(Map.of("t.rego", MODULE), null);
        assertThat(p.ruleTree().id()).isZero();
        for (boolean general : new boolean[] {false, true}) {
            assertThat(numbered(p, "r", general)).contains(NumberValue.of(2));
            assertThat(numbered(p, "s", general)).contains(NumberValue.of(6));
            // r is cached at the outer scope before and after s computed it again under the override
            assertThat(numbered(p, "u", general).map(Value::toString)).contains("[2, 6, 2]");
            for (String rule : List.of("r", "s", "u")) {
                assertThat(unnumbered(p, rule, general)).as(rule).isEqualTo(numbered(p, rule, general));
            }
        }
    }

    @Test
    void recursionIsReportedNumberedOrNot() {
        CompiledPolicy p = Rego.compile(Map.of("t.rego", MODULE), null);
        for (boolean general : new boolean[] {false, true}) {
            assertThatThrownBy(() -> numbered(p, "p", general))
                    .isInstanceOf(RegoException.class)
                    .hasMessageContaining("rule data.t.p is recursive");
            assertThatThrownBy(() -> unnumbered(p, "p", general))
                    .isInstanceOf(RegoException.class)
                    .hasMessageContaining("rule data.t.p is recursive");
        }
    }
}
