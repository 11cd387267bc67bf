package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares a toolset's tools/list with a golden file under {@code src/test/resources} (a JSON array sorted by
 * tool name, keys sorted, pretty-printed). {@code -Dgolden.update=true} rewrites the file instead. Kept small
 * until the shared toolkit-testing helper exists.
 */
public final class GoldenToolList {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private GoldenToolList() {
    }

    /** Fails with a unified diff when the tools' definitions differ from {@code resource}. */
    public static void assertMatches(List<OpsTool> tools, String resource) throws IOException {
        String actual = render(tools);
        Path file = Path.of("src/test/resources").resolve(resource);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            fail("tools/list differs from " + file + "; if intended, regenerate with -Dgolden.update=true\n"
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
            o.set("outputSchema", d.outputSchema() == null ? JsonNodeFactory.instance.nullNode() : d.outputSchema());
            ObjectNode a = o.putObject("annotations");
            a.put("readOnlyHint", d.annotations().readOnlyHint());
            a.put("destructiveHint", d.annotations().destructiveHint());
            a.put("idempotentHint", d.annotations().idempotentHint());
            a.put("openWorldHint", d.annotations().openWorldHint());
        });
        return JSON.writeValueAsString(sorted(out)) + "\n";
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            new TreeSet<>(node.propertyNames()).forEach(k -> copy.set(k, sorted(node.get(k))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(sorted(e)));
            return copy;
        }
        return node;
    }

    /** A unified diff (3 lines of context) from a longest-common-subsequence table. */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(" " + a.get(i++));
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+" + b.get(j++));
            } else {
                ops.add("-" + a.get(i++));
            }
        }
        StringBuilder out = new StringBuilder("--- golden\n+++ actual\n");
        int last = -1;
        for (int k = 0; k < ops.size(); k++) {
            if (ops.get(k).charAt(0) == ' ') {
                continue;
            }
            int from = Math.max(Math.max(0, k - 3), last + 1);
            if (from > last + 1 && last >= 0) {
                out.append("@@\n");
            }
            int to = Math.min(ops.size() - 1, k + 3);
            for (int m = from; m <= to; m++) {
                out.append(ops.get(m)).append('\n');
            }
            last = to;
        }
        return out.toString();
    }
}
