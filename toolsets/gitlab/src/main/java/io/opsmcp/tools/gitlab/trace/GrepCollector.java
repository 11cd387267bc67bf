package io.opsmcp.tools.gitlab.trace;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code grep -C N -m M} over a line stream: matching lines with {@code context} lines before and after, at most
 * {@code maxMatches} matches kept (later matches are only counted). Uses RE2 (linear time), since the pattern
 * comes from the client. Memory: the kept lines plus {@code context} lines of look-behind.
 */
public final class GrepCollector implements TraceReader.LineSink {

    private final Pattern pattern;
    private final int context;
    private final int maxMatches;
    private final TailBuffer before;
    private final List<TraceLine> kept = new ArrayList<>();
    private long matches;
    private long lastKept;
    private int afterLeft;

    public GrepCollector(Pattern pattern, int context, int maxMatches) {
        this.pattern = pattern;
        this.context = context;
        this.maxMatches = maxMatches;
        this.before = context > 0 ? new TailBuffer(context) : null;
    }

    @Override
    public void line(long number, String text) {
        boolean match = pattern.matcher(text).find();
        if (match) {
            matches++;
        }
        if (match && matches <= maxMatches) {
            if (before != null) {
                for (TraceLine b : before.lines()) {
                    if (b.number() > lastKept) {
                        kept.add(b);
                    }
                }
            }
            kept.add(new TraceLine(number, text, true));
            lastKept = number;
            afterLeft = context;
        } else if (afterLeft > 0) {
            kept.add(new TraceLine(number, text, false));
            lastKept = number;
            afterLeft--;
        }
        if (before != null) {
            before.line(number, text);
        }
    }

    /** All matching lines, including those past {@code maxMatches}. */
    public long matches() {
        return matches;
    }

    /** Kept lines in order; a gap in line numbers separates groups. */
    public List<TraceLine> lines() {
        return List.copyOf(kept);
    }
}
