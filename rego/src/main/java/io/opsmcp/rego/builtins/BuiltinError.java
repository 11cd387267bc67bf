package io.opsmcp.rego.builtins;

/**
 * A non-type failure inside a built-in (bad format, divide by zero...). Reported as
 * eval_builtin_error {@code "NAME: message"} when strict built-in errors are on; otherwise the
 * calling expression is undefined, as in OPA's topdown.
 */
public class BuiltinError extends RuntimeException {
    public BuiltinError(String message) {
        super(message, null, false, false);
    }
}
