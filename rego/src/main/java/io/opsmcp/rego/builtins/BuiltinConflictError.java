package io.opsmcp.rego.builtins;

/**
 * A conflict raised inside a built-in that OPA reports as eval_conflict_error (always, even when
 * built-in errors are not strict). The evaluator does not prefix the message.
 */
public class BuiltinConflictError extends RuntimeException {
    public BuiltinConflictError(String message) {
        super(message, null, false, false);
    }
}
