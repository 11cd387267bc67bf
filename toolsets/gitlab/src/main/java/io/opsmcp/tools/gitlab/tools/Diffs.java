package io.opsmcp.tools.gitlab.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Summaries of GitLab diff entries ({@code old_path, new_path, diff, new_file, renamed_file, deleted_file}). */
final class Diffs {

    private Diffs() {
    }

    /**
     * One file's summary: paths, flags and added/removed line counts from the unified diff text (GitLab's
     * {@code diff} starts at the first {@code @@} hunk header, without {@code ---/+++} lines).
     */
    static ObjectNode summary(JsonNode diff) {
        ObjectNode o = Json.pick(diff, "old_path", "new_path", "new_file", "renamed_file", "deleted_file");
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
        o.put("additions", added);
        o.put("deletions", removed);
        if (diff.path("too_large").asBoolean(false) || diff.path("collapsed").asBoolean(false)) {
            o.put("diff_collapsed", true);
        }
        return o;
    }

    static String line(JsonNode summary) {
        String flag = summary.path("new_file").asBoolean(false) ? "A" : summary.path("deleted_file").asBoolean(false)
                ? "D" : summary.path("renamed_file").asBoolean(false) ? "R" : "M";
        String path = summary.path("renamed_file").asBoolean(false)
                ? Json.text(summary, "old_path", "?") + " -> " + Json.text(summary, "new_path", "?")
                : Json.text(summary, "new_path", "?");
        return "  " + flag + " " + path + "  +" + summary.path("additions").asInt() + " -"
                + summary.path("deletions").asInt() + "\n";
    }
}
