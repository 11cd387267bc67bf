package io.opsmcp.tools.gitlab.trace;

import java.util.regex.Pattern;

/**
 * Turns one raw job-trace line into the text a person sees in GitLab's log viewer.
 *
 * <p>Removed: GitLab section markers ({@code \e[0Ksection_start:UNIX_TIMESTAMP:NAME[OPTIONS]\r\e[0K} and
 * {@code section_end:…}, GitLab docs "CI/CD job logs", custom collapsible sections), ANSI/ECMA-48 escape
 * sequences (CSI {@code ESC [ params intermediates final}, OSC {@code ESC ] … BEL|ST}, two-byte {@code ESC x}),
 * other C0 control characters except tab. A carriage return inside a line (progress bars) keeps only what was
 * written after the last one, as a terminal shows it.
 */
public final class TraceCleaner {

    private static final Pattern SECTION = Pattern.compile(
            "(?:\\x1B\\[0K)?section_(?:start|end):\\d+:[A-Za-z0-9_.\\-]+(?:\\[[^\\]\\r\\n]*\\])?\\r?(?:\\x1B\\[0K)?");
    private static final Pattern ANSI =
            Pattern.compile("\\x1B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\\x07\\x1B]*(?:\\x07|\\x1B\\\\)?|[@-Z\\\\-_])");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]");

    private TraceCleaner() {}

    /**
     * Cleans one line (without its {@code \n}).
     *
     * @return the visible text, or {@code null} when the line held only section markers and escapes
     */
    public static String clean(String raw) {
        boolean marker = raw.contains("section_start:") || raw.contains("section_end:");
        if (!marker && raw.indexOf('\u001B') < 0 && raw.indexOf('\r') < 0 && !hasControl(raw)) {
            return raw;
        }
        String s = marker ? SECTION.matcher(raw).replaceAll("") : raw;
        s = ANSI.matcher(s).replaceAll("");
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        s = s.substring(0, end);
        int cr = s.lastIndexOf('\r');
        if (cr >= 0) {
            s = s.substring(cr + 1);
        }
        s = CONTROL.matcher(s).replaceAll("");
        return marker && s.isBlank() ? null : s;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }
}
