package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;

/**
 * {@code internal.template_string(parts)}: renders a lowered template string {@code $"...{e}..."}
 * (see the parser). Each part is a string (kept as is), another scalar (its Rego text) or a set
 * holding the value of a template expression: empty renders {@code <undefined>}, one element renders
 * that value (strings unquoted, collections as Rego text), more than one is an eval_conflict_error
 * "template-strings must not produce multiple outputs" (OPA's {@code topdown/template_string.go}).
 */
final class TemplateStringBuiltin {
    private TemplateStringBuiltin() {}

    static List<Builtin> all() {
        return List.of(Builtin.simple(
                "internal.template_string", args(Type.ANY_ARRAY), Type.STRING, (a, c) -> render(Operands.array(a, 0))));
    }

    private static Value render(ArrayValue parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            Value p = parts.get(i);
            if (p instanceof SetValue s) {
                if (s.size() > 1) {
                    throw new BuiltinConflictError("template-strings must not produce multiple outputs");
                }
                if (s.size() == 0) {
                    sb.append("<undefined>");
                    continue;
                }
                p = s.elements().iterator().next();
            } else if (p instanceof ArrayValue || p instanceof ObjectValue) {
                throw new BuiltinError("illegal argument type: " + Type.of(p));
            }
            sb.append(p instanceof StringValue str ? str.value() : p.toString());
        }
        return StringValue.of(sb.toString());
    }
}
