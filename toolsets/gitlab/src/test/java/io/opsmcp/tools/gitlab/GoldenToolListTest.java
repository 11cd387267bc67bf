package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandbox;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The toolset's tools/list as clients see it, compared with {@code golden/tools-list.json}: a change to a name,
 * description or schema must be intended. Regenerate with {@code -Dgolden.update=true}.
 */
class GoldenToolListTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/tools-list.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void toolsListMatchesTheGoldenFile(@TempDir Path dir) throws IOException {
        String actual;
        try (ToolsetSandbox sandbox = GitLabSandbox.start(dir.resolve("sandbox"))) {
            JsonNode settings = sandbox.configure(Calls.args("{\"toolsets\":[\"gitlab\"]}"));
            OpsToolset toolset = new GitLabToolsetProvider().create(settings, dir);
            actual = render(toolset.tools());
            toolset.close();
        }
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
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
            ObjectNode o = out.addObject();
            o.put("name", d.name());
            o.put("title", d.title());
            o.put("description", d.description());
            o.set("inputSchema", d.inputSchema());
            o.set("outputSchema", d.outputSchema());
            o.set("annotations", JSON.valueToTree(d.annotations()));
        });
        return JSON.writeValueAsString(sorted(out)) + "\n";
    }

    /** A copy with every object's keys in alphabetical order, so the file does not depend on insertion order. */
    private static JsonNode sorted(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            Map<String, JsonNode> keys = new TreeMap<>();
            node.properties().forEach(e -> keys.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            keys.forEach(o::set);
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> a.add(sorted(e)));
            return a;
        }
        return node;
    }

    /** A unified-style line diff (longest common subsequence); {@code -} expected, {@code +} actual. */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+" + (j + 1) + ": " + b.get(j++));
            } else {
                out.add("-" + (i + 1) + ": " + a.get(i++));
            }
        }
        return String.join("\n", out);
    }
}
