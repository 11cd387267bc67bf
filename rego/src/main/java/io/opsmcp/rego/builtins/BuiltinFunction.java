package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.Value;
import java.util.List;
import java.util.function.Consumer;

/**
 * Implementation of a built-in. Named BuiltinFunction (not Function) to avoid clashing with
 * {@link java.util.function.Function}. Implementations throw {@link BuiltinTypeError} for operand
 * type errors and {@link BuiltinError} for other failures.
 */
public sealed interface BuiltinFunction permits BuiltinFunction.Simple, BuiltinFunction.Relation {

    /** A function with at most one result: returns the result, or null for undefined. */
    @FunctionalInterface
    non-sealed interface Simple extends BuiltinFunction {
        Value call(List<Value> args, BuiltinContext ctx);
    }

    /** A relation producing zero or more results (e.g. {@code walk}). */
    @FunctionalInterface
    non-sealed interface Relation extends BuiltinFunction {
        void call(List<Value> args, BuiltinContext ctx, Consumer<Value> out);
    }
}
