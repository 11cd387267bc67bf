package io.opsmcp.rego.builtins;

import java.util.List;

/**
 * Declaration and implementation of one Rego built-in function (e.g. {@code count},
 * {@code strings.replace_n}). {@code args} gives arity and the declared argument types used by the
 * compiler's type check (as in OPA's {@code ast/builtins.go}); {@code impl} is called at evaluation
 * time with ground arguments. A built-in whose {@code impl} is null is declared but refused
 * (e.g. {@code http.send}): the compiler reports it as not supported.
 */
public record Builtin(String name, List<Type> args, Type result, boolean nondeterministic, BuiltinFunction impl) {
    public Builtin {
        args = List.copyOf(args);
    }

    /** A deterministic built-in with a single result per call. */
    public static Builtin simple(String name, List<Type> args, Type result, BuiltinFunction.Simple impl) {
        return new Builtin(name, args, result, false, impl);
    }

    /** Declares a built-in that ops-mcp refuses by design (the compiler rejects calls to it). */
    public static Builtin refused(String name, List<Type> args, Type result) {
        return new Builtin(name, args, result, true, null);
    }

    public boolean refused() {
        return impl == null;
    }

    public int arity() {
        return args.size();
    }
}
