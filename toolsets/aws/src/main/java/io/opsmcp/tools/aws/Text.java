package io.opsmcp.tools.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.opsmcp.guard.redact.Redactor;

/** Plain-text rendering helpers for tool results. */
final class Text {

    private Text() {
    }

    /** A left-aligned table with a header row; columns as wide as their widest cell (cells cut at 80). */
    static String table(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            width[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size() && i < width.length; i++) {
                width[i] = Math.max(width[i], cell(row.get(i)).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        for (List<String> row : rows) {
            line(sb, row, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size() && i < width.length; i++) {
            String c = cell(cells.get(i));
            l.append(c);
            if (i < cells.size() - 1) {
                l.append(" ".repeat(width[i] - c.length() + 2));
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String cell(String value) {
        String v = value == null ? "-" : value.replace('\n', ' ');
        return v.length() > 80 ? v.substring(0, 79) + "…" : v;
    }

    /** A table row; {@code null} cells show as {@code -}. */
    static List<String> row(Object... cells) {
        List<String> out = new java.util.ArrayList<>(cells.length);
        for (Object c : cells) {
            out.add(c == null ? "-" : String.valueOf(c));
        }
        return out;
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String str(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    /**
     * The text redacted, then cut to {@code max} characters with an ellipsis (cutting first could leave a token
     * too short to be recognised).
     */
    static String cut(String text, int max) {
        return REDACTOR.cut(text, max);
    }

    private static final Redactor REDACTOR = new Redactor(AwsRedaction.RULES);

    /**
     * The lower-cased words of a message: runs of letters and digits ({@code CannotPullContainerError} is one
     * word, {@code i/o timeout} is {@code i o timeout}). Rules match words and phrases of these, never substrings:
     * {@code eni} must not match {@code denied}.
     */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Whether {@code words} holds any of the phrases (each a space-separated run of words) contiguously. */
    static boolean phrase(List<String> words, String... phrases) {
        for (String p : phrases) {
            List<String> want = words(p);
            for (int i = 0; i + want.size() <= words.size() && !want.isEmpty(); i++) {
                if (words.subList(i, i + want.size()).equals(want)) {
                    return true;
                }
            }
        }
        return false;
    }
}
