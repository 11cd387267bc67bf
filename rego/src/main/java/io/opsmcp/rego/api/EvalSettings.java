package io.opsmcp.rego.api;

import java.util.function.Consumer;

/**
 * Per-evaluation overrides: strict built-in errors (null = policy default), a print sink
 * (null = policy default) and a timeout in nanoseconds (0 = none) after which evaluation
 * fails with eval_cancel_error. {@code generalPathOnly} turns the evaluator's allocation-free fast
 * path off (same results, slower): the differential test compares both paths.
 */
public record EvalSettings(Boolean strict, Consumer<String> print, long timeoutNanos, boolean generalPathOnly) {
    public static final EvalSettings DEFAULT = new EvalSettings(null, null, 0);

    /** Settings with the fast path on. */
    public EvalSettings(Boolean strict, Consumer<String> print, long timeoutNanos) {
        this(strict, print, timeoutNanos, false);
    }
}
