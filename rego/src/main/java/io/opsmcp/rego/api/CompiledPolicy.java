package io.opsmcp.rego.api;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.compiler.Compiler;
import io.opsmcp.rego.compiler.RuleNode;
import io.opsmcp.rego.eval.EvalOptions;
import io.opsmcp.rego.eval.Evaluator;
import io.opsmcp.rego.eval.RefLinks;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * A compiled set of modules with its base data. Immutable and safe to share between threads:
 * each evaluation creates its own {@link Evaluator} holding all per-query state. Compiled
 * queries are cached by text.
 */
public final class CompiledPolicy {
    private final Compiler.Compiled compiled;
    private final Value data;
    private final BuiltinRegistry builtins;
    private final Rego.PolicyOptions options;
    private final Map<List<String>, RuleNode> functionIndex;
    /** Where this policy's constant data refs lead (its tree and data never change). */
    private final RefLinks links;

    private final Map<String, Compiler.CompiledQuery> queries = new ConcurrentHashMap<>();
    /** The ref evaluated for each document path asked for ({@link #evalDocument}). */
    private final Map<String, Term.Ref> documents = new ConcurrentHashMap<>();

    CompiledPolicy(Compiler.Compiled compiled, Value data, BuiltinRegistry builtins, Rego.PolicyOptions options) {
        this.compiled = compiled;
        // interned as the compiled terms are: a look-up of a literal key in the data compares references
        this.data = Values.intern(data);
        this.builtins = builtins;
        this.options = options;
        Map<List<String>, RuleNode> idx = new HashMap<>();
        index(compiled.root(), new ArrayList<>(), idx);
        this.functionIndex = Collections.unmodifiableMap(idx);
        this.links = new RefLinks(compiled.root(), this.data);
    }

    private static void index(RuleNode n, List<String> path, Map<List<String>, RuleNode> out) {
        if (n.isFunction()) {
            out.put(List.copyOf(path), n);
        }
        for (Map.Entry<Value, RuleNode> e : n.children().entrySet()) {
            if (e.getKey() instanceof StringValue s) {
                path.add(s.value());
                index(e.getValue(), path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    /** The rule tree (read-only use). */
    public RuleNode ruleTree() {
        return compiled.root();
    }

    /** Evaluates a query with JSON input (null for none). @throws RegoException on errors */
    public QueryResult eval(String query, JsonNode input) {
        return eval(query, input == null ? null : Values.fromJson(input), EvalSettings.DEFAULT);
    }

    /** Evaluates a query with a value input (null for none) and per-call settings. */
    public QueryResult eval(String query, Value input, EvalSettings settings) {
        Compiler.CompiledQuery q = queries.computeIfAbsent(query, this::compileQuery);
        Evaluator ev = evaluator(input, settings);
        List<Map<String, Value>> out = new ArrayList<>();
        ev.query(q.body(), q.slots(), frame -> {
            Map<String, Value> row = new LinkedHashMap<>();
            q.outputVars().forEach((name, slot) -> {
                if (frame[slot] != null) {
                    row.put(name, frame[slot]);
                }
            });
            out.add(row);
            return false;
        });
        return new QueryResult(out);
    }

    /**
     * Evaluates the document at a ref such as {@code data.authz.allow}; empty when undefined.
     * @throws RegoException on evaluation errors or a malformed ref
     */
    public Optional<JsonNode> evalRule(String ref, JsonNode input) {
        return evalDocument(ref, input == null ? null : Values.fromJson(input), EvalSettings.DEFAULT)
                .map(Values::toJson);
    }

    /** Like {@link #evalRule} but with values. */
    public Optional<Value> evalDocument(String ref, Value input, EvalSettings settings) {
        return evaluator(input, settings).document(documents.computeIfAbsent(ref, CompiledPolicy::documentRef));
    }

    private static Term.Ref documentRef(String ref) {
        List<Value> path = new ArrayList<>();
        String[] parts = ref.split("\\.");
        if (parts.length == 0 || !parts[0].equals("data")) {
            throw new RegoException("rego_parse_error", "rule reference must start with data: " + ref, Location.NONE);
        }
        for (int i = 1; i < parts.length; i++) {
            path.add(StringValue.of(parts[i]));
        }
        return Evaluator.documentRef(path);
    }

    private Evaluator evaluator(Value input, EvalSettings settings) {
        boolean strict = settings.strict() != null ? settings.strict() : options.strict();
        Instant now = options.clock().instant();
        long nowNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long deadline = settings.timeoutNanos() > 0 ? System.nanoTime() + settings.timeoutNanos() : 0;
        EvalOptions eo = new EvalOptions(
                strict,
                nowNs,
                settings.print() != null ? settings.print() : options.print(),
                options.zone(),
                deadline,
                !settings.generalPathOnly());
        return new Evaluator(compiled.root(), compiled.nodes(), links, data, builtins, functionIndex, input, eo);
    }

    private Compiler.CompiledQuery compileQuery(String text) {
        Body body = Parser.parseQuery(text);
        return Compiler.compileQuery(body, compiled, builtins);
    }
}
