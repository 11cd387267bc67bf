package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The toolset's {@code tools/list} as a golden file: every tool's name, title, description, schemas and annotations
 * exactly as {@link ToolDefinition} holds them, sorted by name, keys sorted. A change to a tool's public face shows
 * as a diff here. Regenerate an intended change with {@code -Dgolden.update=true}.
 */
class GoldenToolListTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/tools-list.json");
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void toolsListMatchesTheGoldenFile() throws IOException {
        String actual;
        try (AwsToolset toolset = Fixtures.toolset(Fixtures.args("""
                {"aws": {"accounts": [{"name": "golden", "account_id": "123456789012", "environment": "prod",
                  "default_region": "eu-west-1"}]}}"""), List.of())) {
            actual = render(toolset.tools());
        }
        if (Boolean.getBoolean("golden.update") || !Files.exists(GOLDEN)) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("tools/list differs from " + GOLDEN + " (if intended, regenerate with -Dgolden.update=true):\n"
                    + diff(expected.lines().toList(), actual.lines().toList()));
        }
    }

    static String render(List<OpsTool> tools) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        tools.stream().map(OpsTool::definition).sorted(Comparator.comparing(ToolDefinition::name)).forEach(d -> {
            ObjectNode n = out.addObject();
            n.put("name", d.name());
            n.put("title", d.title());
            n.put("description", d.description());
            n.set("inputSchema", d.inputSchema());
            n.set("outputSchema", d.outputSchema());
            n.set("annotations", JSON.valueToTree(d.annotations()));
        });
        return JSON.writeValueAsString(sorted(out)) + "\n";
    }

    private static JsonNode sorted(JsonNode n) {
        if (n == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.propertyNames().stream().sorted().forEach(k -> o.set(k, sorted(n.get(k))));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(sorted(x)));
            return a;
        }
        return n;
    }

    /** A minimal unified-style diff: the lines that differ, with a little context. */
    static String diff(List<String> expected, List<String> actual) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while ((i < expected.size() || j < actual.size()) && out.size() < 200) {
            if (i < expected.size() && j < actual.size() && expected.get(i).equals(actual.get(j))) {
                i++;
                j++;
                continue;
            }
            int ni = expected.size();
            int nj = actual.size();
            // resynchronise on the next common line
            search:
            for (int a = i; a < Math.min(expected.size(), i + 50); a++) {
                for (int b = j; b < Math.min(actual.size(), j + 50); b++) {
                    if (expected.get(a).equals(actual.get(b))) {
                        ni = a;
                        nj = b;
                        break search;
                    }
                }
            }
            out.add("@@ -" + (i + 1) + " +" + (j + 1) + " @@");
            for (int a = i; a < ni; a++) {
                out.add("-" + expected.get(a));
            }
            for (int b = j; b < nj; b++) {
                out.add("+" + actual.get(b));
            }
            i = ni;
            j = nj;
        }
        return String.join("\n", out);
    }
}
