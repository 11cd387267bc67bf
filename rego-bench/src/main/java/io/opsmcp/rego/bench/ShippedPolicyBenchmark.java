package io.opsmcp.rego.bench;

import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The decision the server makes for the call {@code bench/compare.sh} measures over HTTP: a read-only
 * {@code host_list} (resource {@code host/host_inventory}, in no environment, allowed as unscoped) by the local
 * identity with the default role {@code viewer}, on the shipped bundle ({@code ops-mcp-policies}), with the input
 * exactly in the shape {@code PolicyInput.build} gives it.
 *
 * <ul>
 *   <li>{@code decision}: the evaluation alone (input already converted to values)
 *   <li>{@code decisionFromJson}: with the conversion of the Jackson input tree, as the embedded engine does per call
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ShippedPolicyBenchmark {
    static final String QUERY = "data.opsmcp.authz.decision";

    /** {@code PolicyInput.build} for the sandbox's {@code host_list} with no arguments. */
    static final String HOST_LIST_INPUT = """
            {"action":"tools/call",
             "principal":{"id":"ops","roles":["viewer"],"auth":"local"},
             "tool":{"name":"host_list","toolset":"hosts","read_only":true,"destructive":false},
             "resource":{"provider":"host","kind":"host_inventory","environment":null,"name":"hosts"},
             "args":{},"facts":{},"change":null,"approval":null,
             "history":{"actions_on_resource_last_hour":0,"actions_by_principal_last_hour":0},
             "now":"2026-12-05T12:00:00Z"}""";

    private CompiledPolicy policy;
    private JsonNode inputJson;
    private Value input;

    @Setup
    public void setup() {
        Bundle bundle = BundleLoader.fromClasspath("opsmcp-bundle", ShippedPolicyBenchmark.class.getClassLoader());
        policy = Rego.builder().build(bundle.modules(), bundle.data());
        inputJson = JsonMapper.builder().build().readTree(HOST_LIST_INPUT);
        input = Values.fromJson(inputJson);
        Value d = decision();
        if (!d.toString().contains("\"allow\": true")) {
            throw new IllegalStateException("unexpected decision " + d);
        }
    }

    @Benchmark
    public Value decision() {
        return policy.evalDocument(QUERY, input, EvalSettings.DEFAULT).orElseThrow();
    }

    @Benchmark
    public Value decisionFromJson() {
        return policy.evalDocument(QUERY, Values.fromJson(inputJson), EvalSettings.DEFAULT)
                .orElseThrow();
    }
}
