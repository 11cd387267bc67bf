package io.opsmcp.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.builtins.Builtin;
import io.opsmcp.rego.builtins.BuiltinFunction;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.builtins.Type;
import io.opsmcp.rego.compiler.Operators;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What a call or ref resolved to is remembered at the term ({@link Term.Site}, keyed by the registry, function index
 * or policy it was resolved in): one parsed module compiled into two policies, with different built-ins and data,
 * must give each policy its own answers — alternately, on both evaluation paths, and from racing threads. The
 * terms' derived parts (arrays, operator codes, the slots a ref needs bound) follow their lists and names, whatever a
 * caller passes for them.
 */
class TermSiteTest {
    private static final String MODULE = """
            package t
            import rego.v1
            picked := ops.pick(1)
            data_v := data.d.v
            twice(x) := y if y := x * 2
            called := twice(data.d.n)
            all := [picked, data_v, called, count(data.d.list)]
            """;

    private static BuiltinRegistry registry(int answer) {
        List<Builtin> all = new ArrayList<>();
        for (String name : List.of("count", "mul", "concat")) {
            Builtin b = BuiltinRegistry.standard().find(name);
            if (b != null) {
                all.add(b);
            }
        }
        all.add(Builtin.simple("ops.pick", List.of(Type.ANY), Type.ANY, (BuiltinFunction.Simple)
                (args, ctx) -> NumberValue.of(answer)));
        return BuiltinRegistry.of(all);
    }

    private static Value data(String v, int n, int listSize) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < listSize; i++) {
            list.append(i == 0 ? "" : ",").append(i);
        }
        return Values.parseJson("{\"d\": {\"v\": \"" + v + "\", \"n\": " + n + ", \"list\": [" + list + "]}}");
    }

    private static String all(CompiledPolicy p, boolean general) {
        return p.evalDocument("data.t.all", null, new EvalSettings(null, null, 0, general))
                .orElseThrow()
                .toString();
    }

    @Test
    void oneParsedModuleInTwoPoliciesGivesEachItsOwnBuiltinsFunctionsAndData() {
        List<Module> modules = List.of(Parser.parseModule("t.rego", MODULE));
        CompiledPolicy a = Rego.builder().builtins(registry(1)).buildParsed(modules, data("a", 10, 1));
        CompiledPolicy b = Rego.builder().builtins(registry(2)).buildParsed(modules, data("b", 20, 3));
        for (int round = 0; round < 3; round++) {
            for (boolean general : new boolean[] {false, true}) {
                assertThat(all(a, general)).isEqualTo("[1, \"a\", 20, 1]");
                assertThat(all(b, general)).isEqualTo("[2, \"b\", 40, 3]");
            }
        }
    }

    @Test
    void racingEvaluationsOfTwoPoliciesSharingTermsNeverSeeTheOthersAnswers() throws Exception {
        List<Module> modules = List.of(Parser.parseModule("t.rego", MODULE));
        CompiledPolicy a = Rego.builder().builtins(registry(1)).buildParsed(modules, data("a", 10, 1));
        CompiledPolicy b = Rego.builder().builtins(registry(2)).buildParsed(modules, data("b", 20, 3));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean useA = t % 2 == 0;
                wrong.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 2_000; i++) {
                        String got = all(useA ? a : b, false);
                        if (!got.equals(useA ? "[1, \"a\", 20, 1]" : "[2, \"b\", 40, 3]")) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> f : wrong) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSiteAnswersOnlyForTheContextItWasResolvedIn() {
        Term.Site site = new Term.Call(Location.NONE, "count", List.of(), null).site();
        Object registryA = BuiltinRegistry.standard();
        Object registryB = BuiltinRegistry.standard();
        assertThat(site.get(registryA)).isNull();
        site.set(registryA, "a");
        assertThat(site.get(registryA)).isEqualTo("a");
        assertThat(site.get(registryB)).as("another registry looks up again").isNull();
        site.set(registryB, "b");
        assertThat(site.get(registryB)).isEqualTo("b");
        assertThat(site.get(registryA)).as("one pair: the last context only").isNull();
    }

    @Test
    void derivedPartsFollowTheListsAndNamesNotWhatIsPassed() {
        Location l = Location.NONE;
        Term one = new Term.Scalar(l, NumberValue.of(1));
        Term x = new Term.Var(l, "x", 3);
        Term.Call plus = new Term.Call(l, "plus", List.of(one, x), null, new Term[] {x}, Operators.MUL, null);
        assertThat(plus.argArray()).containsExactly(one, x);
        assertThat(plus.operator()).isEqualTo(Operators.PLUS);
        assertThat(plus).isEqualTo(new Term.Call(l, "plus", List.of(one, x), null));
        assertThat(plus.site()).isNotNull();
        // a user function named like an operator is no operator; a built-in neither
        assertThat(new Term.Call(l, "plus", List.of(one, x), List.of("t", "plus")).operator())
                .isEqualTo(-1);
        assertThat(new Term.Call(l, "count", List.of(x), null).operator()).isEqualTo(-1);

        Term data = new Term.Var(l, "data", -1);
        Term input = new Term.Var(l, "input", -1);
        Term y = new Term.Var(l, "y", 5);
        Term s = new Term.Scalar(l, StringValue.of("k"));
        // input.k[x], data.k[y.k], x.k[y]: every variable's slot; other heads or unslotted path variables: never
        assertThat(new Term.Ref(l, input, List.of(s, x)).directSlots()).containsExactly(3);
        assertThat(new Term.Ref(l, data, List.of(s, new Term.Ref(l, y, List.of(s)))).directSlots())
                .containsExactly(5);
        assertThat(new Term.Ref(l, x, List.of(s, y)).directSlots()).containsExactly(3, 5);
        assertThat(new Term.Ref(l, data, List.of(s)).directSlots()).isEmpty();
        assertThat(new Term.Ref(l, new Term.Var(l, "other", -1), List.of(s)).directSlots())
                .isNull();
        assertThat(new Term.Ref(l, data, List.of(new Term.Var(l, "z", -1))).directSlots())
                .isNull();
        assertThat(new Term.Ref(l, data, List.of(new Term.ArrayTerm(l, List.of(one)))).directSlots())
                .isNull();
        assertThat(new Term.Ref(l, one, List.of(s)).directSlots()).isNull();
        Term.Ref r = new Term.Ref(l, input, List.of(s, x), new Term[0], new int[] {9}, null);
        assertThat(r.pathArray()).containsExactly(s, x);
        assertThat(r.directSlots()).containsExactly(3);
        assertThat(r)
                .isEqualTo(new Term.Ref(l, input, List.of(s, x)))
                .hasSameHashCodeAs(new Term.Ref(l, input, List.of(s, x)));
    }
}
