package io.opsmcp.rego.bench;

import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
 * One authorization decision ({@code data.opsmcp.authz.decision}) of a ~150-line policy with a
 * ~2 KB input, and the time to compile that policy. Run single-threaded (see rego/README.md).
 */
@State(Scope.Benchmark)
public class AuthzBenchmark {
    private String policySource;
    private JsonNode data;
    private CompiledPolicy policy;
    private Value input;

    @Setup
    public void setup() {
        JsonMapper m = JsonMapper.builder().build();
        policySource = resource("bench/authz.rego");
        data = m.readTree(resource("bench/data.json"));
        input = Values.fromJson(m.readTree(resource("bench/input.json")));
        policy = Rego.compile(Map.of("authz.rego", policySource), data);
        Value d = policy.evalDocument("data.opsmcp.authz.decision", input, io.opsmcp.rego.api.EvalSettings.DEFAULT)
                .orElseThrow(() -> new IllegalStateException("decision undefined"));
        if (!d.toString().contains("\"allow\": true")) {
            throw new IllegalStateException("unexpected decision " + d);
        }
    }

    private static String resource(String name) {
        try (InputStream in = AuthzBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full decision: allow, reason, environment, roles, approvals. */
    @Benchmark
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Value decision() {
        return policy.evalDocument("data.opsmcp.authz.decision", input, io.opsmcp.rego.api.EvalSettings.DEFAULT)
                .orElseThrow();
    }

    /** Parsing and compiling the policy with its data. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public CompiledPolicy compile() {
        return Rego.compile(Map.of("authz.rego", policySource), data);
    }
}
