package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ScannerException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * base64, base64url, hex, urlquery and yaml built-ins as OPA's {@code encoding.go}: decoding is
 * strict as Go's encoding packages (padding required for std base64), query escaping follows Go's
 * url.QueryEscape, yaml.unmarshal reads the first document (all documents must be valid).
 */
final class EncodingBuiltins {
    private EncodingBuiltins() {}

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "base64.encode",
                        args(STRING),
                        STRING,
                        (a, c) -> str(Base64.getEncoder().encodeToString(utf8(Operands.string(a, 0))))),
                Builtin.simple("base64.decode", args(STRING), STRING, (a, c) -> str(decodeStd(Operands.string(a, 0)))),
                Builtin.simple("base64.is_valid", args(STRING), BOOLEAN, EncodingBuiltins::base64Valid),
                Builtin.simple(
                        "base64url.encode",
                        args(STRING),
                        STRING,
                        (a, c) -> str(Base64.getUrlEncoder().encodeToString(utf8(Operands.string(a, 0))))),
                Builtin.simple(
                        "base64url.encode_no_pad",
                        args(STRING),
                        STRING,
                        (a, c) -> str(
                                Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(Operands.string(a, 0))))),
                Builtin.simple(
                        "base64url.decode", args(STRING), STRING, (a, c) -> str(decodeUrl(Operands.string(a, 0)))),
                Builtin.simple(
                        "hex.encode",
                        args(STRING),
                        STRING,
                        (a, c) -> str(HexFormat.of().formatHex(utf8(Operands.string(a, 0))))),
                Builtin.simple("hex.decode", args(STRING), STRING, (a, c) -> str(hexDecode(Operands.string(a, 0)))),
                Builtin.simple(
                        "urlquery.encode", args(STRING), STRING, (a, c) -> str(queryEscape(Operands.string(a, 0)))),
                Builtin.simple(
                        "urlquery.decode", args(STRING), STRING, (a, c) -> str(queryUnescape(Operands.string(a, 0)))),
                Builtin.simple("urlquery.encode_object", args(Type.ANY_OBJECT), STRING, EncodingBuiltins::encodeObject),
                Builtin.simple("urlquery.decode_object", args(STRING), Type.ANY_OBJECT, EncodingBuiltins::decodeObject),
                Builtin.simple("yaml.marshal", args(ANY), STRING, EncodingBuiltins::yamlMarshal),
                Builtin.simple("yaml.unmarshal", args(STRING), ANY, (a, c) -> yamlUnmarshal(Operands.string(a, 0))),
                Builtin.simple("yaml.is_valid", args(ANY), BOOLEAN, EncodingBuiltins::yamlValid));
    }

    private static StringValue str(String s) {
        return StringValue.of(s);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String decodeStd(String s) {
        if (s.length() % 4 != 0) {
            throw new BuiltinError("illegal base64 data at input byte " + (s.length() / 4) * 4);
        }
        try {
            return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BuiltinError("illegal base64 data at input byte 0");
        }
    }

    private static Value base64Valid(List<Value> args, BuiltinContext ctx) {
        if (!(args.get(0) instanceof StringValue s)) {
            return BooleanValue.FALSE;
        }
        try {
            decodeStd(s.value());
            return BooleanValue.TRUE;
        } catch (BuiltinError e) {
            return BooleanValue.FALSE;
        }
    }

    private static String decodeUrl(String s) {
        if (!s.endsWith("=")) {
            switch (s.length() % 4) {
                case 0 -> {}
                case 2 -> s += "==";
                case 3 -> s += "=";
                default -> throw new BuiltinError("illegal base64url string: " + s);
            }
        }
        if (s.length() % 4 != 0) {
            throw new BuiltinError("illegal base64 data at input byte " + (s.length() / 4) * 4);
        }
        try {
            return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BuiltinError("illegal base64 data at input byte 0");
        }
    }

    private static String hexDecode(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                throw new BuiltinError("encoding/hex: invalid byte: U+" + String.format("%04X", (int) s.charAt(i)) + " "
                        + GoQuote.quoteRune(s.charAt(i), false));
            }
        }
        if (s.length() % 2 != 0) {
            throw new BuiltinError("encoding/hex: odd length hex string");
        }
        return new String(HexFormat.of().parseHex(s), StandardCharsets.UTF_8);
    }

    /** Go's url.QueryEscape: unreserved characters kept, space as '+', the rest %XX. */
    static String queryEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : utf8(s)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /** Go's url.QueryUnescape. */
    static String queryUnescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()
                        || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    String bad = s.substring(i, Math.min(i + 3, s.length()));
                    throw new BuiltinError("invalid URL escape " + GoQuote.quote(bad));
                }
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else if (c == '+') {
                out.write(' ');
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Value encodeObject(List<Value> args, BuiltinContext ctx) {
        ObjectValue obj = Operands.object(args, 0);
        Map<String, List<String>> query = new TreeMap<>();
        BuiltinTypeError err = new BuiltinTypeError("operand 1 values must be string, array[string], or set[string]");
        for (Value k : obj.keys()) {
            String key = k instanceof StringValue ks ? ks.value() : Values.toJsonString(k);
            Value v = obj.get(k);
            List<String> vals = query.computeIfAbsent(key, x -> new ArrayList<>());
            if (v instanceof StringValue s) {
                vals.clear();
                vals.add(s.value());
            } else {
                Collection<Value> elems = Operands.elementsOf(v);
                if (elems == null) {
                    throw err;
                }
                for (Value e : elems) {
                    if (!(e instanceof StringValue es)) {
                        throw err;
                    }
                    vals.add(es.value());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            for (String v : e.getValue()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(queryEscape(e.getKey())).append('=').append(queryEscape(v));
            }
        }
        return str(sb.toString());
    }

    private static Value decodeObject(List<Value> args, BuiltinContext ctx) {
        String q = Operands.string(args, 0);
        Map<String, List<Value>> out = new LinkedHashMap<>();
        for (String part : q.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.contains(";")) {
                throw new BuiltinError("invalid semicolon separator in query");
            }
            int eq = part.indexOf('=');
            String k = queryUnescape(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : queryUnescape(part.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(str(v));
        }
        ObjectValue.Builder b = ObjectValue.builder();
        out.forEach((k, v) -> b.put(k, ArrayValue.of(v)));
        return b.build();
    }

    private static Value yamlMarshal(List<Value> args, BuiltinContext ctx) {
        try {
            return str(YAML.writeValueAsString(Values.toJson(Values.parseJson(Values.toJsonString(args.get(0))))));
        } catch (JacksonException e) {
            throw new BuiltinError(e.getOriginalMessage());
        }
    }

    static Value yamlUnmarshal(String text) {
        try (JsonParser parser = YAML.createParser(text)) {
            JsonNode first = null;
            while (parser.nextToken() != null) {
                JsonNode doc = YAML.readTree(parser);
                if (first == null) {
                    first = doc;
                }
            }
            return Values.fromJson(first);
        } catch (JacksonException e) {
            if (e.getCause() instanceof MarkedYamlEngineException m) {
                throw new BuiltinError(goYamlMessage(m, text));
            }
            throw new BuiltinError(e.getOriginalMessage());
        }
    }

    /**
     * The message OPA gives for a YAML syntax error: the text of go-yaml v2 ({@code parser.fail}:
     * {@code yaml: line N: problem}, N the problem's libyaml line, 0-based for parser errors and
     * 1-based for scanner errors, else the context's line, omitted when 0), with SnakeYAML's problem
     * reworded as libyaml words it (both descend from the same scanner and parser).
     */
    static String goYamlMessage(MarkedYamlEngineException m, String text) {
        boolean scanner = m instanceof ScannerException;
        String problem = m.getProblem() == null ? "unknown problem parsing YAML content" : m.getProblem();
        String context = m.getContext() == null ? "" : m.getContext();
        java.util.regex.Matcher expected = java.util.regex.Pattern.compile("expected (.*), but (?:got|found) .*")
                .matcher(problem);
        if (expected.matches()) {
            String what = expected.group(1);
            if (what.equals("<block end>")) {
                problem = context.contains("block mapping")
                        ? "did not find expected key"
                        : "did not find expected '-' indicator";
            } else {
                problem = "did not find expected " + what;
            }
        } else if (problem.equals("mapping values are not allowed here")) {
            problem = "mapping values are not allowed in this context";
        } else if (problem.startsWith("found character") && problem.contains("cannot start any token")) {
            problem = "found character that cannot start any token";
        }
        int line = 0;
        var pm = m.getProblemMark();
        if (pm.isPresent()) {
            line = pm.get().getLine();
            // libyaml moves the stream-end mark to a new line when the last line has no line break
            if (pm.get().getIndex() >= text.length() && pm.get().getColumn() != 0) {
                line++;
            }
        }
        if (line != 0) {
            line = scanner ? line + 1 : line;
        } else {
            line = m.getContextMark().map(c -> c.getLine()).orElse(0);
        }
        return "yaml: " + (line != 0 ? "line " + line + ": " : "") + problem;
    }

    private static Value yamlValid(List<Value> args, BuiltinContext ctx) {
        if (!(args.get(0) instanceof StringValue s)) {
            return BooleanValue.FALSE;
        }
        try {
            yamlUnmarshal(s.value());
            return BooleanValue.TRUE;
        } catch (BuiltinError e) {
            return BooleanValue.FALSE;
        }
    }
}
