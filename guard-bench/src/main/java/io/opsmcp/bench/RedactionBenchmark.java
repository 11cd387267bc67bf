package io.opsmcp.bench;

import io.opsmcp.core.redact.RedactionRule;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.AwsRedaction;
import io.opsmcp.tools.gitlab.GitLabRedaction;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Redactor#redact(String)} as the server builds it (built-in rules plus the AWS and GitLab toolsets' rules)
 * on 1 KB and 64 KB of each {@link Inputs} kind. µs per KB = score / (size / 1024). The clean kinds carry the
 * issue-16 target (≤ 10 µs per KB); the adversarial ones show the cost stays linear (same µs per KB at both sizes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedactionBenchmark {

    @Param({"1024", "65536"})
    public int size;

    @Param({"clean_log", "clean_table", "clean_json", "secrets", "words", "separators", "keys", "quotes", "mixed"})
    public String input;

    private Redactor redactor;
    private String text;

    @Setup
    public void setUp() {
        redactor = serverRedactor();
        text = Inputs.text(input, size);
    }

    /** The redactor the server builds with the shipped toolsets' rules. */
    static Redactor serverRedactor() {
        List<RedactionRule> rules = Stream.of(AwsRedaction.RULES, GitLabRedaction.RULES)
                .flatMap(List::stream)
                .toList();
        return new Redactor(rules);
    }

    @Benchmark
    public String redact() {
        return redactor.redact(text);
    }
}
