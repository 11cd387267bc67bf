package io.opsmcp.rego.builtins;

import java.util.List;

/** Built-ins ops-mcp refuses by design: declared so the compiler can reject them clearly. */
final class RefusedBuiltins {
    private RefusedBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                Builtin.refused("http.send", Type.args(Type.ANY_OBJECT), Type.ANY_OBJECT),
                Builtin.refused("net.lookup_ip_addr", Type.args(Type.STRING), Type.set(Type.STRING)),
                Builtin.refused("opa.runtime", Type.args(), Type.ANY_OBJECT));
    }
}
