package io.opsmcp.tools.gitlab.commits;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One changed file of a GitLab diff entry ({@code old_path, new_path, diff, new_file, renamed_file, deleted_file}),
 * with the added/removed line counts of its unified diff. Flags GitLab did not send stay {@code null}.
 *
 * @param collapsed GitLab left the diff out ({@code too_large} or {@code collapsed}), so the counts are zero
 */
public record FileDiff(
        String oldPath,
        String newPath,
        Boolean newFile,
        Boolean renamedFile,
        Boolean deletedFile,
        int additions,
        int deletions,
        boolean collapsed) {

    /**
     * Reads one entry; the counts come from the unified diff text (GitLab's {@code diff} starts at the first
     * {@code @@} hunk header, without {@code ---/+++} lines).
     */
    public static FileDiff of(JsonNode diff) {
        int added = 0;
        int removed = 0;
        String text = diff.path("diff").asString("");
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("+") && !line.startsWith("+++")) {
                added++;
            } else if (line.startsWith("-") && !line.startsWith("---")) {
                removed++;
            }
        }
        return new FileDiff(
                string(diff, "old_path"),
                string(diff, "new_path"),
                flag(diff, "new_file"),
                flag(diff, "renamed_file"),
                flag(diff, "deleted_file"),
                added,
                removed,
                diff.path("too_large").asBoolean(false)
                        || diff.path("collapsed").asBoolean(false));
    }

    /** The result JSON: paths, flags, {@code additions}, {@code deletions}, and {@code diff_collapsed} when true. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("old_path", oldPath);
        o.put("new_path", newPath);
        o.put("new_file", newFile);
        o.put("renamed_file", renamedFile);
        o.put("deleted_file", deletedFile);
        o.put("additions", additions);
        o.put("deletions", deletions);
        if (collapsed) {
            o.put("diff_collapsed", true);
        }
        return o;
    }

    /** One text line: A/D/R/M, the path (old -> new when renamed), the added and removed line counts. */
    public String line() {
        String flag = Boolean.TRUE.equals(newFile)
                ? "A"
                : Boolean.TRUE.equals(deletedFile) ? "D" : Boolean.TRUE.equals(renamedFile) ? "R" : "M";
        String path = Boolean.TRUE.equals(renamedFile)
                ? orUnknown(oldPath) + " -> " + orUnknown(newPath)
                : orUnknown(newPath);
        return "  " + flag + " " + path + "  +" + additions + " -" + deletions + "\n";
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }

    private static Boolean flag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asBoolean();
    }
}
