package io.opsmcp.toolkit.bench;

import io.opsmcp.toolkit.redact.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of {@link Redactor#redact(String)} at 24 KB and 1 MB, on adversarial and ordinary text. Divide the average
 * time by the size in KB for µs per KB. Inputs: {@code words} (one run of word characters: made the old key=value
 * rule quadratic), {@code spaces_after_key}, {@code separators} ({@code a=a=a=…}), {@code mixed} (keywords,
 * separators, quotes and flags over and over), {@code log} (ordinary log lines with a few secrets). Commands and
 * figures: {@code toolkit/BENCHMARKS.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedactionBenchmark {

    @Param({"24576", "1048576"})
    public int size;

    @Param({"words", "spaces_after_key", "separators", "mixed", "log"})
    public String input;

    private final Redactor redactor = io.opsmcp.toolkit.redact.ContributedRules.redactor();
    private String text;

    @Setup
    public void setUp() {
        text = switch (input) {
            case "words" -> "a".repeat(size);
            case "spaces_after_key" -> "password" + " ".repeat(size - 8);
            case "separators" -> repeat("a=", size);
            case "mixed" -> repeat("db_password_token-secret.api_key:=>'\"<--p ", size);
            case "log" ->
                repeat(
                        "2026-01-01T00:00:00Z web-1 app[42]: GET /api/orders 200 12ms user=bob\n"
                                + "2026-01-01T00:00:01Z web-1 app[42]: connecting postgres://app:hunter2@db:5432/shop\n"
                                + "2026-01-01T00:00:02Z web-1 app[42]: retry with Authorization: Bearer glpat-abcdefghijklmnopqrst\n",
                        size);
            default -> throw new IllegalArgumentException(input);
        };
    }

    @Benchmark
    public String redact() {
        return redactor.redact(text);
    }

    private static String repeat(String unit, int length) {
        StringBuilder sb = new StringBuilder(length + unit.length());
        while (sb.length() < length) {
            sb.append(unit);
        }
        sb.setLength(length);
        return sb.toString();
    }
}
