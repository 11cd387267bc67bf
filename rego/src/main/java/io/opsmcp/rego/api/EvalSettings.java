package io.opsmcp.rego.api;

import java.util.function.Consumer;

/**
 * Per-evaluation overrides: strict built-in errors (null = policy default), a print sink
 * (null = policy default) and a timeout in nanoseconds (0 = none) after which evaluation
 * fails with eval_cancel_error.
 */
public record EvalSettings(Boolean strict, Consumer<String> print, long timeoutNanos) {
  public static final EvalSettings DEFAULT = new EvalSettings(null, null, 0);
}
