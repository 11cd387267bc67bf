package io.opsmcp.tools.gitlab.trace;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the per-line decorations CI runners and tools put in front of a log line, so that failure rules (and their
 * {@code ^} anchors) see the text the tool printed. Applied once per cleaned line ({@link TraceCleaner} has already
 * removed ANSI codes and section markers), repeatedly until no prefix is left, since decorations nest (a GitHub
 * Actions timestamp before a docker build step before {@code INTERNALERROR> E}).
 *
 * <p>Prefixes (sources): GitLab runner {@code FF_TIMESTAMPS} ({@code 2024-01-01T00:00:00.000000Z 01O+}, RFC 3339 time,
 * stream number, {@code O}/{@code E}, optional {@code +} continuation), GitHub Actions raw logs
 * ({@code 2024-01-01T00:00:00.0000000Z }), Jenkins timestamper ({@code [2024-01-01T00:00:00.000Z] }), line numbers
 * copied from the GitHub log viewer ({@code [12](https://…#step:6:13)}), GitHub workflow commands
 * ({@code ##[error]}, {@code ##[group]}), BuildKit plain progress ({@code #14 2.002 }), docker compose service
 * prefixes ({@code web-1  | }), scoped npm workspace prefixes of lerna/turbo ({@code @scope/pkg: },
 * {@code @scope/pkg:task: }), pytest's {@code INTERNALERROR> } and its {@code E   } exception-line marker.
 */
public final class LineNormalizer {

    private static final List<Pattern> PREFIXES = List.of(
            // GitLab FF_TIMESTAMPS: time, 2-hex stream id, O(ut)/E(rr), optional '+' (line continues the previous)
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z [0-9a-f]{2}[OE]\\+? ?"),
            // GitHub Actions raw log timestamps
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z ?"),
            // Jenkins timestamper
            Pattern.compile("^\\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z] ?"),
            // line numbers copied from the GitHub log viewer
            Pattern.compile("^\\[\\d+]\\(https?://[^)\\s]*\\) ?"),
            // GitHub workflow commands
            Pattern.compile("^##\\[(?:error|warning|notice|debug|group|endgroup|command|section)] ?"),
            // BuildKit plain progress: step number and seconds
            Pattern.compile("^#\\d+ (?:\\d+\\.\\d+ )?"),
            // docker compose: service name, padding, '|'
            Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]*\\s+\\| "),
            // lerna / turbo / pnpm -r: scoped workspace package, optional task
            Pattern.compile("^@[a-z0-9._-]+/[a-z0-9._-]+(?::[A-Za-z0-9:_-]+)?: "),
            Pattern.compile("^INTERNALERROR> ?"),
            // pytest marks the lines of the exception with 'E' and spaces
            Pattern.compile("^E {2,}"));

    private LineNormalizer() {}

    /** The line without its decorations (the same string when it has none). */
    public static String normalize(String line) {
        String s = line;
        boolean changed = true;
        for (int round = 0; changed && round < 8; round++) {
            changed = false;
            for (Pattern p : PREFIXES) {
                Matcher m = p.matcher(s);
                if (m.find() && m.end() > 0) {
                    s = s.substring(m.end());
                    changed = true;
                }
            }
        }
        return s;
    }
}
