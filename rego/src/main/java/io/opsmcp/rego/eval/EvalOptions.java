package io.opsmcp.rego.eval;

import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Per-query settings: strict built-in errors, the query time (ns since epoch), print sink,
 * local zone, and a safety budget (wall-clock deadline in ns from {@link System#nanoTime()},
 * 0 for none) that stops runaway evaluations with {@code eval_cancel_error}.
 */
public record EvalOptions(boolean strictBuiltinErrors, long nowNs, Consumer<String> print, ZoneId zone, long deadlineNanoTime) {}
