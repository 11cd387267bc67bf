package io.opsmcp.rego.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.value.DeferredValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An input with a deferred member ({@link ObjectValue#withDeferred}) decides exactly as the same input with the
 * member present from the start, for every way a policy can reach {@code input}, and computes the member only when
 * the evaluation needs it, at most once. The guard defers {@code input.history} (an audit store query) this way.
 */
class DeferredInputTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static final String INPUT = """
            {"action":"tools/call","principal":{"id":"alice","roles":["sre"]},
             "tool":{"name":"host_list","read_only":true},"args":{"n":1},"now":"2026-12-05T12:00:00Z",
             "history":{"actions_on_resource_last_hour":3,"actions_by_principal_last_hour":7}}""";

    private static final ObjectValue EAGER = (ObjectValue) Values.parseJson(INPUT);
    private static final StringValue HISTORY = StringValue.of("history");

    /** The same input with history deferred; {@code calls} counts the supplier's calls. */
    private static ObjectValue deferred(AtomicInteger calls) {
        Map<Value, Value> known = new java.util.HashMap<>(EAGER.asMap());
        Value history = known.remove(HISTORY);
        return ObjectValue.of(known).withDeferred(HISTORY, new DeferredValue(() -> {
            calls.incrementAndGet();
            return history;
        }));
    }

    /**
     * Rules that reach input in every way the language has. {@code reads} says whether the evaluation must see the
     * history member; the rest must not compute it.
     */
    private record Case(String body, boolean reads) {}

    private static final List<Case> CASES = List.of(
            // refs with constant keys
            new Case("r := input.tool.name", false),
            new Case("r := input.history.actions_on_resource_last_hour", true),
            new Case("r := input[\"history\"]", true),
            new Case("r if input.history[x] == 7", true),
            new Case("r := input.history[x]", true), // a conflict error, the same with both inputs
            new Case("r := [x | input.history[x]]", true),
            new Case("r := input.missing", false),
            new Case("r := input[1]", false),
            // refs with variables: iteration over input
            new Case("r := [k | input[k]]", true),
            new Case("r := {k: v | some k, v in input}", true),
            new Case("r := [k | some k in object.keys(input)]", false),
            new Case("r if { some k; input[k]; k == \"history\" }", true),
            new Case("r := k if { k := \"history\"; input[k] }", true),
            new Case("r := k if { k := \"tool\"; input[k] }", false),
            // input as a whole value
            new Case("r := input", true),
            new Case("r if { x := input; x.history.actions_by_principal_last_hour == 7 }", true),
            new Case("r if { x := input; x.tool.read_only }", false),
            new Case("r := count(input)", false),
            new Case("r := json.marshal(input)", true),
            new Case("r := object.get(input, \"history\", {})", true),
            new Case("r := object.get(input, [\"history\", \"actions_on_resource_last_hour\"], 0)", true),
            new Case("r := object.get(input, \"action\", \"none\")", false),
            new Case("r := object.remove(input, [\"args\"])", true),
            new Case("r := object.filter(input, [\"tool\"])", false),
            new Case("r := [p | walk(input, [p, _])]", true),
            new Case("r := input == {\"tool\": 1}", false),
            new Case("r := input == " + INPUT.replace('\n', ' '), true),
            new Case("r if { input != {} }", false), // sizes differ
            new Case("r if { input != {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"f\": 6} }", true),
            new Case("r := is_object(input)", false),
            new Case("r := {input}", true),
            new Case("r := [input][0].tool.name", false),
            new Case("r := sprintf(\"%v\", [input])", true),
            new Case("r := f(input)", true),
            new Case("r := g(input)", false),
            new Case("r := [x | x := input.history][0]", true),
            new Case("r := {h | some h in [input.history]}", true),
            new Case("r if { every k, v in input { k != \"zzz\" } }", true),
            // with
            new Case("r := z if { z := h with input.history as {\"a\": 1} }", false),
            new Case("r := z if { z := h with input.history.actions_on_resource_last_hour as 0 }", true),
            new Case("r := z if { z := h with input.tool.name as \"x\" }", true),
            new Case("r := z if { z := t with input.tool.name as \"x\" }", false),
            new Case("r := z if { z := h with input as {\"history\": 9} }", false),
            new Case("r := z if { z := t with input as {\"tool\": 9} }", false),
            new Case("r := z if { z := y with input.args as 2 }", false));

    private static final String HELPERS = """
            f(x) := x.history
            g(x) := x.tool
            h := input.history
            t := input.tool
            y := [input.args, input.action]
            """;

    private static Optional<Value> eval(CompiledPolicy p, Value input, boolean general) {
        return p.evalDocument("data.t.r", input, new EvalSettings(null, null, 0, general));
    }

    /** The result, or the error's text: both must be the same with either input. */
    private static String outcome(CompiledPolicy p, Value input, boolean general) {
        try {
            return String.valueOf(eval(p, input, general));
        } catch (RuntimeException e) {
            return "error " + e.getMessage();
        }
    }

    @Test
    void everyWayToReachInputDecidesAsAnEagerInputAndComputesTheMemberOnlyWhenRead() {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            CompiledPolicy p;
            try {
                p = Rego.compile(Map.of("t.rego", "package t\nimport rego.v1\n" + HELPERS + c.body()), null);
            } catch (RuntimeException e) {
                failures.add(c.body() + ": " + e.getMessage());
                continue;
            }
            for (boolean general : new boolean[] {false, true}) {
                String eager = outcome(p, EAGER, general);
                AtomicInteger calls = new AtomicInteger();
                String lazy = outcome(p, deferred(calls), general);
                if (!eager.equals(lazy)) {
                    failures.add(c.body() + ": eager " + eager + ", deferred " + lazy);
                }
                if (calls.get() > 1) {
                    failures.add(c.body() + ": computed " + calls.get() + " times");
                }
                if ((calls.get() == 1) != c.reads()) {
                    failures.add(c.body() + ": computed " + calls.get() + " times, expected reads=" + c.reads());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aMemberThatCannotBeComputedFailsTheEvaluationEvenWhenABuiltinLooksAtIt() {
        for (String body : List.of(
                "r := input.history",
                "r := object.get(input, \"history\", {})",
                "r := json.marshal(input)",
                "r := [k | input[k]]",
                "r := is_string(input.history)")) {
            CompiledPolicy p = Rego.compile(Map.of("t.rego", "package t\nimport rego.v1\n" + body), null);
            AtomicInteger calls = new AtomicInteger();
            DeferredValue failing = new DeferredValue(() -> {
                calls.incrementAndGet();
                throw new IllegalStateException("audit store down");
            });
            Value input = ObjectValue.EMPTY
                    .with(StringValue.of("tool"), StringValue.of("x"))
                    .withDeferred(HISTORY, failing);
            assertThatThrownBy(() -> eval(p, input, false))
                    .as(body)
                    .isInstanceOf(DeferredValue.DeferredValueException.class)
                    .hasRootCauseMessage("audit store down");
            assertThat(failing.failed()).isTrue();
            assertThatThrownBy(failing::get).isInstanceOf(DeferredValue.DeferredValueException.class);
            assertThat(calls.get()).as("the supplier is not asked again").isEqualTo(1);
        }
    }

    @Test
    void concurrentReadersComputeTheMemberOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        DeferredValue v = new DeferredValue(() -> {
            calls.incrementAndGet();
            return StringValue.of("x");
        });
        ObjectValue o = ObjectValue.EMPTY.withDeferred(HISTORY, v);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Value>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    start.await();
                    return o.get(HISTORY);
                }));
            }
            start.countDown();
            for (Future<Value> f : all) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(StringValue.of("x"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aDeferredObjectEqualsAndOrdersAsTheEagerOne() {
        AtomicInteger calls = new AtomicInteger();
        ObjectValue lazy = deferred(calls);
        assertThat(lazy.size()).isEqualTo(EAGER.size());
        assertThat(lazy.keys()).containsExactlyElementsOf(EAGER.keys());
        assertThat(calls.get()).as("keys and size need no value").isZero();
        assertThat(lazy).isEqualTo(EAGER);
        assertThat(EAGER).isEqualTo(lazy);
        assertThat(lazy.hashCode()).isEqualTo(EAGER.hashCode());
        assertThat(lazy.compareTo(EAGER)).isZero();
        assertThat(lazy.toString()).isEqualTo(EAGER.toString());
        assertThat(Values.toJson(lazy)).isEqualTo(Values.toJson(EAGER));
        assertThat(calls.get()).isEqualTo(1);
        assertThatThrownBy(() -> EAGER.withDeferred(HISTORY, new DeferredValue(() -> HISTORY)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
