package io.opsmcp.rego.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.RegoException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RegoTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static JsonNode json(String s) {
        return M.readTree(s);
    }

    private static final String POLICY = """
      package authz
      import rego.v1

      default allow := false

      allow if {
        some g in input.groups
        g in data.admins
      }

      envs contains e if {
        some e, cfg in data.envs
        cfg.owner == input.user
      }

      reasons[r] := n if {
        some r in ["a", "b"]
        n := count([x | some x in input.groups; startswith(x, r)])
      }
      """;

    @Test
    void evaluatesRulesAndQueries() {
        CompiledPolicy p = Rego.compile(
                Map.of("authz.rego", POLICY),
                json("{\"admins\":[\"ops\"],\"envs\":{\"prod\":{\"owner\":\"al\"},\"dev\":{\"owner\":\"bo\"}}}"));
        JsonNode in = json("{\"user\":\"al\",\"groups\":[\"ops\",\"all\",\"beta\"]}");
        assertThat(p.evalRule("data.authz.allow", in)).contains(json("true"));
        assertThat(p.evalRule("data.authz.envs", in)).contains(json("[\"prod\"]"));
        assertThat(p.evalRule("data.authz.reasons", in)).contains(json("{\"a\":1,\"b\":1}"));
        assertThat(p.evalRule("data.authz.nothing", in)).isEmpty();
        QueryResult r = p.eval("data.authz.envs[e]", in);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.json(0)).containsEntry("e", json("\"prod\""));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        CompiledPolicy p = Rego.compile(Map.of("authz.rego", POLICY), json("{\"admins\":[\"ops\"],\"envs\":{}}"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean admin = i % 2 == 0;
                JsonNode in = json("{\"user\":\"u\",\"groups\":[\"" + (admin ? "ops" : "dev") + "\"]}");
                fs.add(pool.submit(
                        () -> p.evalRule("data.authz.allow", in).orElseThrow().asBoolean() == admin));
            }
            for (Future<Boolean> f : fs) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsOpaErrors() {
        assertThatThrownBy(() -> Rego.compile(Map.of("a.rego", "package a\np if {"), null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("a.rego:2")
                .hasMessageContaining("rego_parse_error");
        assertThatThrownBy(() -> Rego.compile(Map.of("a.rego", "package a\np if { x > 1 }"), null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("rego_compile_error: var x is unsafe");
        assertThatThrownBy(() -> Rego.compile(Map.of("a.rego", "package a\np if { http.send({}) }"), null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> Rego.compile(Map.of("a.rego", "package a\np if { x := 1; x := 2 }"), null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("var x assigned above");
        CompiledPolicy p = Rego.compile(Map.of("a.rego", "package a\np := 1\np := 2\nq := 1 / 0\n"), null);
        assertThatThrownBy(() -> p.evalRule("data.a.p", null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_conflict_error");
        assertThat(p.evalRule("data.a.q", null)).isEmpty();
        CompiledPolicy strict = Rego.builder()
                .strictBuiltinErrors(true)
                .build(Map.of("a.rego", "package a\nq := 1 / 0\n"), (JsonNode) null);
        assertThatThrownBy(() -> strict.evalRule("data.a.q", null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_builtin_error: div: divide by zero");
    }
}
