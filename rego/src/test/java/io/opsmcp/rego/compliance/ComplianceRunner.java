package io.opsmcp.rego.compliance;

import io.opsmcp.rego.RefusedBuiltinException;
import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.QueryResult;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Runs OPA compliance cases (the YAML format of OPA's {@code v1/test/cases}) the way OPA's own
 * runner ({@code v1/topdown/exported_test.go}) does: modules are named {@code test-N.rego},
 * built-in errors are strict when the case says {@code strict_error}, results compare as a set of
 * binding objects after a JSON round trip (each array binding sorted under {@code sort_bindings}),
 * errors compare by exact code and message substring. A case that calls or mocks a built-in
 * refused by design is skipped with that reason. Every case runs on its own thread with a large
 * stack and a deadline; nothing a case does escapes as an exception.
 */
public final class ComplianceRunner {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private final long timeoutMillis;
    private final boolean generalPathOnly;

    /**
     * @param timeoutMillis deadline of one case
     * @param generalPathOnly evaluate without the evaluator's fast path (for the differential test)
     */
    public ComplianceRunner(long timeoutMillis, boolean generalPathOnly) {
        this.timeoutMillis = timeoutMillis;
        this.generalPathOnly = generalPathOnly;
    }

    /** Parses one YAML file into cases. @throws RuntimeException when the YAML is malformed */
    public static List<ComplianceCase> parse(String file, String yaml) {
        JsonNode root = YAML.readTree(yaml);
        List<ComplianceCase> out = new ArrayList<>();
        for (JsonNode c : root.path("cases")) {
            List<String> modules = new ArrayList<>();
            for (JsonNode m : c.path("modules")) {
                modules.add(m.asString());
            }
            out.add(new ComplianceCase(
                    file,
                    c.path("note").asString(""),
                    c.path("query").asString(""),
                    modules,
                    c.get("data"),
                    c.get("input"),
                    c.has("input_term") ? c.get("input_term").asString() : null,
                    c.get("want_result"),
                    c.has("want_error_code") ? c.get("want_error_code").asString() : null,
                    c.has("want_error") ? c.get("want_error").asString() : null,
                    c.path("strict_error").asBoolean(false),
                    c.path("sort_bindings").asBoolean(false),
                    c.path("skip").asBoolean(false),
                    c.path("experimental_keywords").asBoolean(false)));
        }
        return out;
    }

    /** Runs one case; never throws. */
    public CaseOutcome run(ComplianceCase c) {
        if (c.skip()) {
            return new CaseOutcome(c, CaseOutcome.Status.SKIP, "", "");
        }
        AtomicReference<CaseOutcome> result = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.set(runUnguarded(c));
                    } catch (Throwable e) {
                        result.set(new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "crash: " + e));
                    }
                },
                "compliance",
                256L * 1024 * 1024);
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeoutMillis + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CaseOutcome o = result.get();
        return o != null
                ? o
                : new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "timeout after " + timeoutMillis + " ms");
    }

    private CaseOutcome runUnguarded(ComplianceCase c) {
        QueryResult res = null;
        RegoException err = null;
        try {
            Map<String, String> mods = new LinkedHashMap<>();
            for (int i = 0; i < c.modules().size(); i++) {
                mods.put("test-" + i + ".rego", c.modules().get(i));
            }
            Value data = c.data() == null || c.data().isNull() ? ObjectValue.EMPTY : Values.fromJson(c.data());
            CompiledPolicy p = Rego.builder()
                    .clock(Clock.systemUTC())
                    .experimentalKeywords(c.experimentalKeywords())
                    .build(mods, data);
            Value input = null;
            if (c.inputTerm() != null) {
                Term t = Parser.parseTerm(c.inputTerm());
                input = p.eval("x := " + c.inputTerm(), (Value) null, EvalSettings.DEFAULT)
                        .bindings()
                        .get(0)
                        .get("x");
                if (input == null) {
                    throw new IllegalStateException("input_term is not a value: " + t);
                }
            } else if (c.input() != null) {
                input = Values.fromJson(c.input());
            }
            res = p.eval(
                    c.query(),
                    input,
                    new EvalSettings(c.strictError(), line -> {}, timeoutMillis * 1_000_000L, generalPathOnly));
        } catch (RefusedBuiltinException e) {
            return new CaseOutcome(c, CaseOutcome.Status.SKIP, "", "needs " + e.builtin() + ", refused by design");
        } catch (RegoException e) {
            err = e;
        }
        // The checks of OPA's runner (v1/topdown/exported_test.go testRun): error text by substring,
        // error code exactly, no unexpected error, then the result set when one is wanted.
        boolean wantsError = c.wantErrorCode() != null || c.wantError() != null;
        if (c.wantError() != null && (err == null || !err.getMessage().contains(c.wantError()))) {
            return fail(c, err, res);
        }
        if (c.wantErrorCode() != null && (err == null || !c.wantErrorCode().equals(err.code()))) {
            return fail(c, err, res);
        }
        if (err != null && !wantsError) {
            return fail(c, err, res);
        }
        if (c.wantResult() == null) {
            return wantsError ? new CaseOutcome(c, CaseOutcome.Status.PASS, "", "") : fail(c, err, res);
        }
        if (!resultSet(c.wantResult(), res, c.sortBindings()).equals(wantSet(c.wantResult()))) {
            return fail(c, err, res);
        }
        return new CaseOutcome(c, CaseOutcome.Status.PASS, "", "");
    }

    private static CaseOutcome fail(ComplianceCase c, RegoException err, QueryResult res) {
        String got = err != null ? "error " + err.getMessage() : res == null ? "no result" : render(res);
        return new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), got);
    }

    /** The wanted rows as a set of binding objects (OPA builds an ast.Set of them). */
    private static SetValue wantSet(JsonNode want) {
        SetValue.Builder b = SetValue.builder();
        for (JsonNode row : want) {
            b.add(Values.fromJson(row));
        }
        return b.build();
    }

    /**
     * The rows as a set of binding objects, each value round-tripped through JSON as OPA's runner
     * does (sets become arrays, keys strings); under sort_bindings each array value is sorted in
     * Rego's value order, as OPA's runner sorts each binding (not the rows).
     */
    private static SetValue resultSet(JsonNode want, QueryResult res, boolean sortBindings) {
        SetValue.Builder set = SetValue.builder();
        if (res == null) {
            return set.build();
        }
        for (Map<String, Value> row : res.bindings()) {
            ObjectValue.Builder b = ObjectValue.builder();
            row.forEach((k, v) -> {
                Value j = Values.fromJson(Values.toJson(v));
                if (sortBindings && j instanceof ArrayValue a) {
                    List<Value> sorted = new ArrayList<>(a.elements());
                    sorted.sort(Comparator.naturalOrder());
                    j = ArrayValue.of(sorted);
                }
                b.put(StringValue.of(k), j);
            });
            set.add(b.build());
        }
        return set.build();
    }

    private static String render(QueryResult res) {
        if (res.isEmpty()) {
            return "undefined";
        }
        List<String> rows = new ArrayList<>();
        for (Map<String, Value> row : res.bindings()) {
            rows.add(row.toString());
        }
        return rows.toString();
    }

    private static String expected(ComplianceCase c) {
        if (c.wantErrorCode() != null || c.wantError() != null) {
            return "error " + c.wantErrorCode() + ": " + c.wantError();
        }
        return c.wantResult() == null || c.wantResult().isEmpty()
                ? "undefined"
                : c.wantResult().toString();
    }
}
