package io.opsmcp.tools.gitlab.fixes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff (GNU diffutils format, {@code ---/+++} headers with {@code a/} and {@code b/} prefixes, hunks
 * with 3 lines of context) for a change confined to one region of a file — what the mechanical fixes produce:
 * the common prefix and suffix are context, the middle is replaced.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    public static String of(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        if (prefix == a.size() && prefix == b.size()) {
            return "";
        }
        int start = Math.max(0, prefix - CONTEXT);
        int endA = Math.min(a.size(), a.size() - suffix + CONTEXT);
        int endB = Math.min(b.size(), b.size() - suffix + CONTEXT);
        StringBuilder out = new StringBuilder();
        out.append("--- a/")
                .append(path)
                .append('\n')
                .append("+++ b/")
                .append(path)
                .append('\n');
        out.append("@@ -")
                .append(range(start, endA - start))
                .append(" +")
                .append(range(start, endB - start))
                .append(" @@\n");
        for (int i = start; i < prefix; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < a.size() - suffix; i++) {
            out.append('-').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < b.size() - suffix; i++) {
            out.append('+').append(b.get(i)).append('\n');
        }
        for (int i = a.size() - suffix; i < endA; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 0 ? start + ",0" : (start + 1) + (count == 1 ? "" : "," + count);
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
