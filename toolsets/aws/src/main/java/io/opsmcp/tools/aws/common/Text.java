package io.opsmcp.tools.aws.common;

import io.opsmcp.toolkit.TextTable;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.AwsRedaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text rendering helpers for tool results. */
public final class Text {

    private Text() {}

    /**
     * A left-aligned table with a header row ({@link TextTable}); cells are cut at 80 characters and kept on one line,
     * so a long event message does not stretch the whole table.
     */
    public static String table(List<String> headers, List<List<String>> rows) {
        return TextTable.render(
                headers,
                rows.stream().map(r -> r.stream().map(Text::cell).toList()).toList());
    }

    private static String cell(String value) {
        String v = value == null ? "-" : value.replace('\n', ' ');
        return v.length() > 80 ? v.substring(0, 79) + "…" : v;
    }

    /** A table row; {@code null} cells show as {@code -}. */
    public static List<String> row(Object... cells) {
        List<String> out = new java.util.ArrayList<>(cells.length);
        for (Object c : cells) {
            out.add(c == null ? "-" : String.valueOf(c));
        }
        return out;
    }

    public static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    public static String str(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    /**
     * The text redacted, then cut to {@code max} characters with an ellipsis (cutting first could leave a token
     * too short to be recognised).
     */
    public static String cut(String text, int max) {
        return REDACTOR.cut(text, max);
    }

    private static final Redactor REDACTOR = new Redactor(AwsRedaction.RULES);

    /**
     * The lower-cased words of a message: runs of letters and digits ({@code CannotPullContainerError} is one
     * word, {@code i/o timeout} is {@code i o timeout}). Rules match words and phrases of these, never substrings:
     * {@code eni} must not match {@code denied}.
     */
    public static List<String> words(String text) {
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
    public static boolean phrase(List<String> words, String... phrases) {
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
