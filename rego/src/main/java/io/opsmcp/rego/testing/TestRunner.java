package io.opsmcp.rego.testing;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.compiler.RuleNode;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code opa test}-style runner: every rule named {@code test_*} defined in a
 * {@code *_test.rego} file is evaluated; it passes when its value is {@code true}. Tests use
 * {@code with} for mocks like in OPA. Tests whose name starts with {@code todo_} are skipped.
 */
public final class TestRunner {
    private TestRunner() {}

    /** One test's outcome. */
    public record TestResult(String name, Status status, String detail) {
        /** PASS, FAIL (undefined or false), ERROR (evaluation error). */
        public enum Status {
            PASS,
            FAIL,
            ERROR
        }
    }

    /** All outcomes plus the counts. */
    public record Report(List<TestResult> results) {
        public long passed() {
            return results.stream()
                    .filter(r -> r.status() == TestResult.Status.PASS)
                    .count();
        }

        public long failed() {
            return results.size() - passed();
        }

        /** 0 when every test passed, 2 otherwise (OPA's exit code for failing tests). */
        public int exitCode() {
            return failed() == 0 ? 0 : 2;
        }

        /** OPA-like text: one line per test and a PASS/FAIL summary. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            for (TestResult r : results) {
                sb.append(r.name()).append(": ").append(r.status());
                if (r.detail() != null && !r.detail().isEmpty()) {
                    sb.append(" (").append(r.detail()).append(')');
                }
                sb.append('\n');
            }
            sb.append("--------------------------------------------------------------------------------\n");
            if (passed() > 0) {
                sb.append("PASS: ")
                        .append(passed())
                        .append('/')
                        .append(results.size())
                        .append('\n');
            }
            if (failed() > 0) {
                sb.append("FAIL: ")
                        .append(failed())
                        .append('/')
                        .append(results.size())
                        .append('\n');
            }
            return sb.toString();
        }
    }

    /** Compiles the modules (policies and tests together) and runs the tests. */
    public static Report run(Map<String, String> modules, Value data) {
        CompiledPolicy policy = Rego.builder().build(modules, data);
        List<String> tests = new ArrayList<>();
        collect(policy.ruleTree(), "data", tests);
        List<TestResult> out = new ArrayList<>();
        for (String t : tests) {
            try {
                Value v = policy.evalDocument(t, null, new EvalSettings(null, null, 10_000_000_000L))
                        .orElse(null);
                if (v == BooleanValue.TRUE) {
                    out.add(new TestResult(t, TestResult.Status.PASS, ""));
                } else {
                    out.add(new TestResult(t, TestResult.Status.FAIL, v == null ? "undefined" : "value " + v));
                }
            } catch (RegoException e) {
                out.add(new TestResult(t, TestResult.Status.ERROR, e.getMessage()));
            }
        }
        return new Report(out);
    }

    private static void collect(RuleNode n, String path, List<String> out) {
        for (Map.Entry<Value, RuleNode> e : n.children().entrySet()) {
            if (!(e.getKey() instanceof StringValue s)) {
                continue;
            }
            String p = path + "." + s.value();
            RuleNode c = e.getValue();
            if (s.value().startsWith("test_")
                    && !c.rules().isEmpty()
                    && !c.isFunction()
                    && c.rules().get(0).loc().file().endsWith("_test.rego")) {
                out.add(p);
            }
            collect(c, p, out);
        }
    }
}
