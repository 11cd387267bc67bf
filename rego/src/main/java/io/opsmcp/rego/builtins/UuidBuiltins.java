package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.StringValue;
import java.util.List;
import java.util.UUID;

/** uuid.rfc4122(key): a random version-4 UUID, the same for the same key within one query. */
final class UuidBuiltins {
  private UuidBuiltins() {}

  static List<Builtin> all() {
    return List.of(new Builtin("uuid.rfc4122", args(Type.STRING), Type.STRING, true,
        (BuiltinFunction.Simple) (a, c) -> (StringValue) c.queryCache().computeIfAbsent(
            List.of("uuid.rfc4122", Operands.string(a, 0)), k -> StringValue.of(UUID.randomUUID().toString()))));
  }
}
