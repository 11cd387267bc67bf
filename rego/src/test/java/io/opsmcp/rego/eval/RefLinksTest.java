package io.opsmcp.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.value.Values;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A constant data ref resumes its walk where its constant prefix led the first time (RefLinks): that must never
 * bypass a {@code with data…} override, outlive the data of its policy, or change what an undefined or numeric path
 * gives. Every figure is checked on the fast path (which links) and the general path (which walks).
 */
class RefLinksTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static final String MODULE = """
            package t
            import rego.v1
            v := data.d.v
            rule := 1
            reads := [data.d.v, data.t.rule, data.d.list[1], data.d.nums["2"], object.get(data.d, "missing", "none")]
            over_data := x if {
              x := data.d.v with data.d.v as "override"
            }
            over_rule := x if {
              x := data.t.rule with data.t.rule as 7
            }
            over_parent := x if {
              x := [data.d.v, v] with data.d as {"v": "parent"}
            }
            after := [data.d.v, v, data.t.rule]
            all := [reads, over_data, over_rule, over_parent, after, data.d.v]
            missing if data.d.none.deeper
            """;

    private static String eval(CompiledPolicy p, String ref, boolean general) {
        return p.evalDocument(ref, null, new EvalSettings(null, null, 0, general))
                .map(v -> Values.toJson(v).toString())
                .orElse("undefined");
    }

    private static CompiledPolicy policy(String data) {
        return Rego.compile(Map.of("t.rego", MODULE), M.readTree(data));
    }

    @Test
    void withOverridesAreSeenAfterTheRefWasLinked() {
        CompiledPolicy p = policy("{\"d\":{\"v\":\"base\",\"list\":[10,11],\"nums\":{\"2\":\"two\"}}}");
        for (boolean general : new boolean[] {false, true}) {
            for (int round = 0; round < 2; round++) { // the second round runs on links made by the first
                assertThat(eval(p, "data.t.all", general))
                        .as("general %s round %d", general, round)
                        .isEqualTo("[[\"base\",1,11,\"two\",\"none\"],\"override\",7,[\"parent\",\"parent\"],"
                                + "[\"base\",\"base\",1],\"base\"]");
                assertThat(eval(p, "data.t.missing", general)).isEqualTo("undefined");
            }
        }
        // the ad-hoc query path: the same ref inside and outside a with, in both orders
        assertThat(p.eval("a := data.d.v; b := data.d.v with data.d.v as 2; c := data.d.v", null, EvalSettings.DEFAULT)
                        .json(0))
                .containsEntry("a", M.readTree("\"base\""))
                .containsEntry("b", M.readTree("2"))
                .containsEntry("c", M.readTree("\"base\""));
    }

    @Test
    void aNewDataVersionIsANewPolicyWhoseRefsLeadToItsData() {
        CompiledPolicy v1 = policy("{\"d\":{\"v\":\"one\",\"list\":[0,1],\"nums\":{}}}");
        assertThat(eval(v1, "data.t.v", false)).isEqualTo("\"one\"");
        assertThat(eval(v1, "data.t.reads", false)).isEqualTo("undefined"); // data.d.nums["2"] is not there
        CompiledPolicy v2 =
                policy("{\"d\":{\"v\":\"two\",\"list\":[0,2],\"nums\":{\"2\":\"n\"}, \"missing\": \"present\"}}");
        for (boolean general : new boolean[] {false, true}) {
            assertThat(eval(v2, "data.t.v", general)).isEqualTo("\"two\"");
            assertThat(eval(v2, "data.t.reads", general)).isEqualTo("[\"two\",1,2,\"n\",\"present\"]");
            assertThat(eval(v1, "data.t.v", general)).isEqualTo("\"one\"");
        }
    }
}
