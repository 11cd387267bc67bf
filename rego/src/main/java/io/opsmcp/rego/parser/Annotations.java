package io.opsmcp.rego.parser;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds {@code # METADATA} comment blocks in Rego source (OPA's {@code ast/annotations.go}): the
 * comment lines after the marker, without their {@code #} and one space, are YAML; the block
 * belongs to the statement on the line right after it.
 */
final class Annotations {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Annotations() {}

    /** The annotation blocks of a source file. @throws RegoException rego_parse_error on bad YAML */
    static List<Module.Annotation> scan(String file, String src) {
        String[] lines = src.split("\n", -1);
        List<Module.Annotation> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals("# METADATA")) {
                continue;
            }
            StringBuilder yaml = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && lines[j].stripLeading().startsWith("#"); j++) {
                String c = lines[j].stripLeading().substring(1);
                yaml.append(c.startsWith(" ") ? c.substring(1) : c).append('\n');
            }
            out.add(new Module.Annotation(j + 1, fields(file, i + 1, yaml.toString())));
            i = j - 1;
        }
        return out;
    }

    private static ObjectValue fields(String file, int row, String yaml) {
        JsonNode node;
        try {
            node = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new RegoException(
                    "rego_parse_error",
                    "invalid METADATA block: " + e.getOriginalMessage(),
                    new Location(file, row, 1));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return ObjectValue.EMPTY;
        }
        if (!(Values.fromJson(node) instanceof ObjectValue obj)) {
            throw new RegoException(
                    "rego_parse_error", "invalid METADATA block: expected a YAML mapping", new Location(file, row, 1));
        }
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Value> e : obj.unorderedEntries()) {
            String key =
                    e.getKey() instanceof StringValue s ? s.value() : e.getKey().toString();
            Value v = e.getValue();
            if (key.equals("authors") && v instanceof ArrayValue a) {
                v = ArrayValue.of(a.elements().stream().map(Annotations::author).toList());
            } else if (key.equals("related_resources") && v instanceof ArrayValue a) {
                v = ArrayValue.of(a.elements().stream()
                        .map(x -> x instanceof StringValue s
                                ? ObjectValue.builder().put("ref", s).build()
                                : x)
                        .toList());
            }
            b.put(key, v);
        }
        return b.build();
    }

    /** "Jane Doe <jane@example.com>" or "Jane Doe" as {@code {name, email}} (OPA's parseAuthor). */
    private static Value author(Value v) {
        if (!(v instanceof StringValue s)) {
            return v;
        }
        String t = s.value().strip();
        ObjectValue.Builder b = ObjectValue.builder();
        int lt = t.lastIndexOf('<');
        if (t.endsWith(">") && lt >= 0) {
            String name = t.substring(0, lt).strip();
            if (!name.isEmpty()) {
                b.put("name", StringValue.of(name));
            }
            b.put("email", StringValue.of(t.substring(lt + 1, t.length() - 1).strip()));
        } else {
            b.put("name", StringValue.of(t));
        }
        return b.build();
    }
}
