package io.opsmcp.rego.api;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.builtins.BuiltinRegistry;
import io.opsmcp.rego.compiler.Compiler;
import io.opsmcp.rego.parser.Parser;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Entry point: compiles Rego modules plus a base data document into an immutable, thread-safe
 * {@link CompiledPolicy}. Errors are {@link RegoException}s with OPA's codes.
 *
 * <pre>{@code
 * CompiledPolicy p = Rego.compile(Map.of("authz.rego", src), dataJson);
 * Optional<JsonNode> allow = p.evalRule("data.authz.allow", inputJson);
 * }</pre>
 */
public final class Rego {
    private boolean strict;
    private Clock clock = Clock.systemUTC();
    private Consumer<String> print = line -> {};
    private BuiltinRegistry builtins;
    private ZoneId zone = ZoneId.systemDefault();
    private boolean experimentalKeywords;

    private Rego() {}

    /** A builder for options (strict built-in errors, clock, print sink, built-ins). */
    public static Rego builder() {
        return new Rego();
    }

    /** Compiles with default options. @param modules file name to Rego source */
    public static CompiledPolicy compile(Map<String, String> modules, JsonNode data) {
        return builder().build(modules, data);
    }

    /** Raise eval_builtin_error from built-ins instead of making the expression undefined. */
    public Rego strictBuiltinErrors(boolean strict) {
        this.strict = strict;
        return this;
    }

    /** The clock read once per query for time.now_ns (use a fixed clock for reproducible results). */
    public Rego clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Where print() output goes (one call per line). Default: discarded. */
    public Rego printSink(Consumer<String> sink) {
        this.print = sink;
        return this;
    }

    /** The built-in table (default: {@link BuiltinRegistry#standard()}). */
    public Rego builtins(BuiltinRegistry registry) {
        this.builtins = registry;
        return this;
    }

    /** Zone used by time built-ins for "Local". */
    public Rego zone(ZoneId zone) {
        this.zone = zone;
        return this;
    }

    /**
     * Lets modules import OPA's experimental keywords ({@code import future.keywords.and} /
     * {@code .or}); without it such an import is a rego_parse_error, as in OPA. Default: off.
     */
    public Rego experimentalKeywords(boolean enabled) {
        this.experimentalKeywords = enabled;
        return this;
    }

    /** Parses and compiles modules with data given as JSON (null for none). */
    public CompiledPolicy build(Map<String, String> modules, JsonNode data) {
        return build(modules, data == null ? ObjectValue.EMPTY : Values.fromJson(data));
    }

    /** Parses and compiles modules with data given as a value. */
    public CompiledPolicy build(Map<String, String> modules, Value data) {
        List<Module> parsed = new ArrayList<>();
        for (Map.Entry<String, String> e : modules.entrySet()) {
            parsed.add(Parser.parseModule(e.getKey(), e.getValue(), experimentalKeywords));
        }
        return buildParsed(parsed, data);
    }

    /** Compiles already parsed modules. */
    public CompiledPolicy buildParsed(List<Module> modules, Value data) {
        BuiltinRegistry reg = builtins == null ? BuiltinRegistry.standard() : builtins;
        Compiler.Compiled compiled = Compiler.compile(modules, reg);
        return new CompiledPolicy(compiled, data, reg, new PolicyOptions(strict, clock, print, zone));
    }

    /** Options fixed at compile time. */
    record PolicyOptions(boolean strict, Clock clock, Consumer<String> print, ZoneId zone) {}
}
