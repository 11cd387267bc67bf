package io.opsmcp.rego.builtins;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable table of built-ins by name. Operators (arithmetic, comparison, membership, set
 * and/or) are implemented by the evaluator itself (they need its number semantics) and are not
 * listed here.
 */
public final class BuiltinRegistry {
    private final Map<String, Builtin> byName;

    private BuiltinRegistry(List<Builtin> builtins) {
        Map<String, Builtin> m = new LinkedHashMap<>();
        for (Builtin b : builtins) {
            m.put(b.name(), b);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** A registry holding exactly the given built-ins (later entries replace earlier ones by name). */
    public static BuiltinRegistry of(List<Builtin> builtins) {
        return new BuiltinRegistry(builtins);
    }

    /** The full standard table (every family). */
    public static BuiltinRegistry standard() {
        List<Builtin> all = new ArrayList<>();
        all.addAll(RefusedBuiltins.all());
        all.addAll(AggregateBuiltins.all());
        all.addAll(ArrayBuiltins.all());
        all.addAll(SetBuiltins.all());
        all.addAll(ObjectBuiltins.all());
        all.addAll(JsonBuiltins.all());
        all.addAll(StringBuiltins.all());
        all.addAll(RegexBuiltins.all());
        all.addAll(GlobBuiltins.all());
        all.addAll(TypeBuiltins.all());
        all.addAll(NumberBuiltins.all());
        all.addAll(NetCidrBuiltins.all());
        all.addAll(UnitsBuiltins.all());
        all.addAll(SemverBuiltins.all());
        all.addAll(TimeBuiltins.all());
        all.addAll(EncodingBuiltins.all());
        all.addAll(RegoParseModuleBuiltin.all());
        all.addAll(CryptoBuiltins.all());
        all.addAll(JwtBuiltins.all());
        all.addAll(AwsSigV4Builtin.all());
        all.addAll(X509Builtins.all());
        all.addAll(UuidBuiltins.all());
        all.addAll(WalkBuiltin.all());
        all.addAll(BitsBuiltins.all());
        all.addAll(GraphBuiltins.all());
        all.addAll(UriBuiltins.all());
        all.addAll(GraphqlBuiltins.all());
        all.addAll(JsonSchemaBuiltins.all());
        all.addAll(TemplateStringBuiltin.all());
        all.addAll(TemplateBuiltins.all());
        return new BuiltinRegistry(all);
    }

    public Optional<Builtin> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
