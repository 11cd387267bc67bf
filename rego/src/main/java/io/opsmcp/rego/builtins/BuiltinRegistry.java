package io.opsmcp.rego.builtins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Immutable table of built-ins by name. Operators (arithmetic, comparison, membership, set
 * and/or) are implemented by the evaluator itself (they need its number semantics) and are not
 * listed here.
 *
 * <p>The {@linkplain #standard() standard table} builds each family of built-ins (one class: strings, time, JWT,
 * X.509, GraphQL, …) on the first lookup of one of its names, from the names each family declares here: a policy
 * compile then pays for the families its modules call, not for all 30 (each built-in is a lambda; the X.509, JWT and
 * GraphQL families also pull in their libraries). What a lookup returns is the same as with every family built up
 * front; {@code BuiltinRegistryTest} keeps the declared names equal to each family's.
 */
public final class BuiltinRegistry {
    /** Built-in name to its family's index in {@link #FAMILY_NAMES} (the standard table), in registration order. */
    private final Map<String, Integer> familyOf;
    /** The built families of the standard table, by index; {@code null} until first needed. */
    private final AtomicReferenceArray<Map<String, Builtin>> families;
    /** Built-ins of the standard table already found by {@link #find}, by name. */
    private final Map<String, Builtin> found = new java.util.concurrent.ConcurrentHashMap<>();
    /** The table of {@link #of}; {@code null} for the standard table. */
    private final Map<String, Builtin> byName;

    private BuiltinRegistry(List<Builtin> builtins) {
        Map<String, Builtin> m = new LinkedHashMap<>();
        for (Builtin b : builtins) {
            m.put(b.name(), b);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.familyOf = null;
        this.families = null;
    }

    private BuiltinRegistry() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int f = 0; f < FAMILY_NAMES.length; f++) {
            for (String name : FAMILY_NAMES[f]) {
                m.put(name, f); // a later family replaces an earlier one's built-in of the same name
            }
        }
        this.familyOf = Collections.unmodifiableMap(m);
        this.families = new AtomicReferenceArray<>(FAMILY_NAMES.length);
        this.byName = null;
    }

    /** A registry holding exactly the given built-ins (later entries replace earlier ones by name). */
    public static BuiltinRegistry of(List<Builtin> builtins) {
        return new BuiltinRegistry(builtins);
    }

    /** The full standard table (every family), each family built on first use. */
    public static BuiltinRegistry standard() {
        return new BuiltinRegistry();
    }

    /**
     * The built-in named {@code name}, or null: what {@link #lookup} returns, in one hash look-up once the name
     * was found (the evaluator resolves a call's built-in on every call; the standard table otherwise looks up
     * the family, then the name in it, and wraps the result).
     */
    public Builtin find(String name) {
        if (byName != null) {
            return byName.get(name);
        }
        Builtin b = found.get(name);
        if (b == null) {
            b = lookup(name).orElse(null);
            if (b != null) {
                found.putIfAbsent(name, b);
            }
        }
        return b;
    }

    public Optional<Builtin> lookup(String name) {
        if (byName != null) {
            return Optional.ofNullable(byName.get(name));
        }
        Integer f = familyOf.get(name);
        return f == null ? Optional.empty() : Optional.ofNullable(family(f).get(name));
    }

    public Set<String> names() {
        return byName != null ? byName.keySet() : familyOf.keySet();
    }

    /** The built-ins of family {@code f} by name, built once (two threads may race to build it: one result wins). */
    private Map<String, Builtin> family(int f) {
        Map<String, Builtin> built = families.get(f);
        if (built == null) {
            Map<String, Builtin> m = new LinkedHashMap<>();
            for (Builtin b : build(f)) {
                m.put(b.name(), b);
            }
            families.compareAndSet(f, null, Collections.unmodifiableMap(m));
            built = families.get(f);
        }
        return built;
    }

    /** Family {@code f}'s built-ins, as its class lists them (a switch: no class is loaded before it is asked for). */
    static List<Builtin> build(int f) {
        return switch (f) {
            case 0 -> RefusedBuiltins.all();
            case 1 -> AggregateBuiltins.all();
            case 2 -> ArrayBuiltins.all();
            case 3 -> SetBuiltins.all();
            case 4 -> ObjectBuiltins.all();
            case 5 -> JsonBuiltins.all();
            case 6 -> StringBuiltins.all();
            case 7 -> RegexBuiltins.all();
            case 8 -> GlobBuiltins.all();
            case 9 -> TypeBuiltins.all();
            case 10 -> NumberBuiltins.all();
            case 11 -> NetCidrBuiltins.all();
            case 12 -> UnitsBuiltins.all();
            case 13 -> SemverBuiltins.all();
            case 14 -> TimeBuiltins.all();
            case 15 -> EncodingBuiltins.all();
            case 16 -> RegoParseModuleBuiltin.all();
            case 17 -> CryptoBuiltins.all();
            case 18 -> JwtBuiltins.all();
            case 19 -> AwsSigV4Builtin.all();
            case 20 -> X509Builtins.all();
            case 21 -> UuidBuiltins.all();
            case 22 -> WalkBuiltin.all();
            case 23 -> BitsBuiltins.all();
            case 24 -> GraphBuiltins.all();
            case 25 -> UriBuiltins.all();
            case 26 -> GraphqlBuiltins.all();
            case 27 -> JsonSchemaBuiltins.all();
            case 28 -> TemplateStringBuiltin.all();
            case 29 -> TemplateBuiltins.all();
            default -> throw new IllegalArgumentException("no built-in family " + f);
        };
    }

    /** The names each family's {@code all()} lists, in the standard table's order (later families win a name). */
    static final String[][] FAMILY_NAMES = {
        {"http.send", "net.lookup_ip_addr", "opa.runtime"},
        {"count", "sum", "product", "max", "min", "sort", "all", "any"},
        {"array.concat", "array.slice", "array.reverse", "array.flatten"},
        {"intersection", "union"},
        {
            "object.get",
            "object.keys",
            "object.remove",
            "object.filter",
            "object.union",
            "object.union_n",
            "object.subset"
        },
        {
            "json.filter",
            "json.remove",
            "json.patch",
            "json.marshal",
            "json.marshal_with_options",
            "json.unmarshal",
            "json.is_valid"
        },
        {
            "concat",
            "contains",
            "startswith",
            "endswith",
            "strings.count",
            "indexof",
            "indexof_n",
            "lower",
            "upper",
            "split",
            "strings.split_n",
            "replace",
            "strings.replace_n",
            "substring",
            "trim",
            "trim_left",
            "trim_right",
            "trim_prefix",
            "trim_suffix",
            "trim_space",
            "strings.reverse",
            "format_int",
            "sprintf",
            "strings.any_prefix_match",
            "strings.any_suffix_match"
        },
        {
            "regex.match",
            "re_match",
            "regex.is_valid",
            "regex.split",
            "regex.find_n",
            "regex.find_all_string_submatch_n",
            "regex.replace",
            "regex.globs_match",
            "regex.template_match"
        },
        {"glob.match", "glob.quote_meta"},
        {"type_name", "is_number", "is_string", "is_boolean", "is_array", "is_set", "is_object", "is_null", "trace"},
        {"to_number", "numbers.range", "numbers.range_step", "abs", "round", "ceil", "floor", "rand.intn"},
        {
            "net.cidr_contains",
            "net.cidr_overlap",
            "net.cidr_intersects",
            "net.cidr_expand",
            "net.cidr_merge",
            "net.cidr_contains_matches",
            "net.cidr_is_valid"
        },
        {"units.parse", "units.parse_bytes"},
        {"semver.is_valid", "semver.compare"},
        {
            "time.now_ns",
            "time.parse_rfc3339_ns",
            "time.parse_ns",
            "time.parse_duration_ns",
            "time.format",
            "time.date",
            "time.clock",
            "time.weekday",
            "time.add_date",
            "time.diff"
        },
        {
            "base64.encode",
            "base64.decode",
            "base64.is_valid",
            "base64url.encode",
            "base64url.encode_no_pad",
            "base64url.decode",
            "hex.encode",
            "hex.decode",
            "urlquery.encode",
            "urlquery.decode",
            "urlquery.encode_object",
            "urlquery.decode_object",
            "yaml.marshal",
            "yaml.unmarshal",
            "yaml.is_valid"
        },
        {"rego.parse_module"},
        {
            "crypto.md5",
            "crypto.sha1",
            "crypto.sha256",
            "crypto.sha384",
            "crypto.sha512",
            "crypto.hmac.md5",
            "crypto.hmac.sha1",
            "crypto.hmac.sha256",
            "crypto.hmac.sha512",
            "crypto.hmac.equal"
        },
        {
            "io.jwt.decode",
            "io.jwt.decode_verify",
            "io.jwt.verify_rs256",
            "io.jwt.verify_rs384",
            "io.jwt.verify_rs512",
            "io.jwt.verify_ps256",
            "io.jwt.verify_ps384",
            "io.jwt.verify_ps512",
            "io.jwt.verify_es256",
            "io.jwt.verify_es384",
            "io.jwt.verify_es512",
            "io.jwt.verify_eddsa",
            "io.jwt.verify_hs256",
            "io.jwt.verify_hs384",
            "io.jwt.verify_hs512",
            "io.jwt.encode_sign",
            "io.jwt.encode_sign_raw"
        },
        {"providers.aws.sign_req"},
        {
            "crypto.x509.parse_certificates",
            "crypto.x509.parse_and_verify_certificates",
            "crypto.x509.parse_and_verify_certificates_with_options",
            "crypto.x509.parse_certificate_request",
            "crypto.x509.parse_keypair",
            "crypto.x509.parse_rsa_private_key",
            "crypto.parse_private_keys"
        },
        {"uuid.rfc4122", "uuid.parse"},
        {"walk"},
        {"bits.or", "bits.and", "bits.xor", "bits.negate", "bits.lsh", "bits.rsh"},
        {"graph.reachable", "graph.reachable_paths"},
        {"uri.parse", "uri.is_valid"},
        {
            "graphql.parse",
            "graphql.parse_and_verify",
            "graphql.parse_query",
            "graphql.parse_schema",
            "graphql.is_valid",
            "graphql.schema_is_valid"
        },
        {"json.verify_schema", "json.match_schema"},
        {"internal.template_string"},
        {"strings.render_template"}
    };
}
