package io.opsmcp.rego;

import io.opsmcp.rego.ast.Location;

/**
 * A policy calls or mocks a built-in that ops-mcp refuses by design ({@code http.send},
 * {@code net.lookup_ip_addr}, {@code opa.runtime}): a {@code rego_compile_error} that names the
 * built-in, so callers (the compliance runner, operators) can tell a refusal from a bug.
 */
public final class RefusedBuiltinException extends RegoException {
    private final String builtin;

    public RefusedBuiltinException(String builtin, Location location) {
        super("rego_compile_error", builtin + " is not supported by ops-mcp", location);
        this.builtin = builtin;
    }

    /** The refused built-in's name, e.g. {@code http.send}. */
    public String builtin() {
        return builtin;
    }
}
