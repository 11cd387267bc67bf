package io.opsmcp.rego.eval;

import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Per-query settings: strict built-in errors, the query time (ns since epoch), print sink,
 * local zone, and a safety budget (wall-clock deadline in ns from {@link System#nanoTime()},
 * 0 for none) that stops runaway evaluations with {@code eval_cancel_error}, and whether the
 * evaluator may take its fast path ({@code direct*}: single-solution expressions without
 * continuations); off, every expression takes the general path, with identical results.
 */
public record EvalOptions(
        boolean strictBuiltinErrors,
        long nowNs,
        Consumer<String> print,
        ZoneId zone,
        long deadlineNanoTime,
        boolean fastPath) {

    /** Options with the fast path on. */
    public EvalOptions(
            boolean strictBuiltinErrors, long nowNs, Consumer<String> print, ZoneId zone, long deadlineNanoTime) {
        this(strictBuiltinErrors, nowNs, print, zone, deadlineNanoTime, true);
    }
}
