package io.opsmcp.rego.compliance;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.QueryResult;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.ObjectValue;
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
 * runner does: modules are named {@code test-N.rego}, built-in errors are strict when the case
 * says {@code strict_error}, results compare as JSON (order-insensitive with
 * {@code sort_bindings}), errors compare by code and message substring. Every case runs on its
 * own thread with a large stack and a deadline; nothing a case does escapes as an exception.
 */
public final class ComplianceRunner {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private final long timeoutMillis;

  public ComplianceRunner(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
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
      out.add(new ComplianceCase(file, c.path("note").asString(""), c.path("query").asString(""), modules,
          c.get("data"), c.get("input"), c.has("input_term") ? c.get("input_term").asString() : null,
          c.get("want_result"), c.has("want_error_code") ? c.get("want_error_code").asString() : null,
          c.has("want_error") ? c.get("want_error").asString() : null,
          c.path("strict_error").asBoolean(false), c.path("sort_bindings").asBoolean(false),
          c.path("skip").asBoolean(false), c.path("experimental_keywords").asBoolean(false)));
    }
    return out;
  }

  /** Runs one case; never throws. */
  public CaseOutcome run(ComplianceCase c) {
    if (c.skip()) {
      return new CaseOutcome(c, CaseOutcome.Status.SKIP, "", "");
    }
    AtomicReference<CaseOutcome> result = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(runUnguarded(c));
      } catch (Throwable e) {
        result.set(new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "crash: " + e));
      }
    }, "compliance", 256L * 1024 * 1024);
    t.setDaemon(true);
    t.start();
    try {
      t.join(timeoutMillis + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CaseOutcome o = result.get();
    return o != null ? o : new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "timeout after " + timeoutMillis + " ms");
  }

  private CaseOutcome runUnguarded(ComplianceCase c) {
    QueryResult res;
    try {
      Map<String, String> mods = new LinkedHashMap<>();
      for (int i = 0; i < c.modules().size(); i++) {
        mods.put("test-" + i + ".rego", c.modules().get(i));
      }
      Value data = c.data() == null || c.data().isNull() ? ObjectValue.EMPTY : Values.fromJson(c.data());
      CompiledPolicy p = Rego.builder().clock(Clock.systemUTC())
          .experimentalKeywords(c.experimentalKeywords()).build(mods, data);
      Value input = null;
      if (c.inputTerm() != null) {
        Term t = Parser.parseTerm(c.inputTerm());
        input = p.eval("x := " + c.inputTerm(), (Value) null, EvalSettings.DEFAULT).bindings().get(0).get("x");
        if (input == null) {
          throw new IllegalStateException("input_term is not a value: " + t);
        }
      } else if (c.input() != null) {
        input = Values.fromJson(c.input());
      }
      res = p.eval(c.query(), input, new EvalSettings(c.strictError(), line -> { }, timeoutMillis * 1_000_000L));
    } catch (RegoException e) {
      if (c.wantErrorCode() != null || c.wantError() != null) {
        boolean codeOk = c.wantErrorCode() == null || c.wantErrorCode().equals(e.code());
        boolean msgOk = c.wantError() == null || e.getMessage().contains(c.wantError());
        if (codeOk && msgOk) {
          return new CaseOutcome(c, CaseOutcome.Status.PASS, "", "");
        }
      }
      return new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "error " + e.getMessage());
    }
    if (c.wantErrorCode() != null || c.wantError() != null) {
      return new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), "result " + render(res));
    }
    List<Value> got = new ArrayList<>();
    for (Map<String, Value> row : res.bindings()) {
      ObjectValue.Builder b = ObjectValue.builder();
      row.forEach((k, v) -> b.put(k, Values.fromJson(Values.toJson(v))));
      got.add(b.build());
    }
    List<Value> want = new ArrayList<>();
    if (c.wantResult() != null) {
      for (JsonNode row : c.wantResult()) {
        want.add(Values.fromJson(row));
      }
    }
    if (c.sortBindings()) {
      got.sort(Comparator.naturalOrder());
      want.sort(Comparator.naturalOrder());
    }
    if (got.equals(want)) {
      return new CaseOutcome(c, CaseOutcome.Status.PASS, "", "");
    }
    return new CaseOutcome(c, CaseOutcome.Status.FAIL, expected(c), render(res));
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
    return c.wantResult() == null || c.wantResult().isEmpty() ? "undefined" : c.wantResult().toString();
  }
}
