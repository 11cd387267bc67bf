package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.Value;

/**
 * An operand type error inside a built-in. The evaluator reports it as eval_type_error with the
 * message prefixed by the built-in's name: {@code "count: operand 1 must be ... but got number"}.
 */
public class BuiltinTypeError extends RuntimeException {
    public BuiltinTypeError(String message) {
        super(message, null, false, false);
    }

    /** OPA's text: {@code operand 1 must be string but got number}. */
    public static BuiltinTypeError operand(int position1Based, String expected, Value got) {
        return new BuiltinTypeError(
                "operand " + position1Based + " must be " + expected + " but got " + got.typeName());
    }
}
