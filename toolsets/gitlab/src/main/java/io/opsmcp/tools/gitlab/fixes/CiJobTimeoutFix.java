package io.opsmcp.tools.gitlab.fixes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Raises the {@code timeout:} keyword of the job that GitLab stopped at its job timeout (the runner's
 * {@code ERROR: Job failed: execution took longer than 1h0m0s seconds}, a Go {@code time.Duration}) in
 * {@code .gitlab-ci.yml}: an existing value is doubled, a missing one is added at double the limit the job hit;
 * never above {@link #MAX} (GitLab's {@code timeout} keyword, CI/CD YAML syntax reference). The job's mapping is
 * found in the text (a top-level block mapping; {@code parallel} suffixes such as {@code " 1/3"} and matrix
 * suffixes {@code ": [a, b]"} are stripped from the job name) and edited as text, so the rest of the file stays
 * byte-identical; the result is parsed back and must equal the original with only that job's {@code timeout}
 * changed.
 */
public final class CiJobTimeoutFix {

    public static final String CI_FILE = ".gitlab-ci.yml";
    /** The largest timeout this fix proposes; longer limits are a decision for a person. */
    public static final Duration MAX = Duration.ofHours(4);

    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms|us|µs|ns)");
    private static final Pattern GITLAB_PART = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\\b\\s*(?:and\\s+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARALLEL_SUFFIX = Pattern.compile("^(.+) \\d+/\\d+$");
    private static final Pattern MATRIX_SUFFIX = Pattern.compile("^(.+): \\[.*]$");
    private static final Pattern TIMEOUT_LINE = Pattern.compile(
            "^(?<head>timeout[ \\t]*:[ \\t]*)(?<q>[\"']?)(?<value>[^\"'#\\r\\n]*?)\\k<q>(?<tail>[ \\t]*(?:#.*)?)$");

    private CiJobTimeoutFix() {}

    /**
     * @param files    the repository at the pipeline's commit
     * @param jobName  the failed job's name as GitLab shows it
     * @param observed the limit the job hit, as the runner printed it (Go duration, e.g. {@code 1h0m0s})
     * @throws FixException when the file or job is missing or not editable as text, the job's timeout is not
     *                      what stopped it, or the limit is at {@link #MAX} already
     */
    public static FileChange plan(RepoFiles files, String jobName, String observed, YAMLMapper yaml) {
        Duration hit = goDuration(observed);
        String before = files.read(CI_FILE)
                .orElseThrow(
                        () -> new FixException(
                                "the repository has no " + CI_FILE
                                        + " at its root; the job's configuration comes from elsewhere (a CI/CD configuration file setting)"));
        JsonNode tree = parse(yaml, before);
        String key = candidates(jobName).stream()
                .filter(n -> tree.path(n).isObject())
                .findFirst()
                .orElseThrow(() -> new FixException(CI_FILE + " has no job " + jobName + " at its top level; it "
                        + "probably comes from an include: raise its timeout where it is defined"));
        List<Line> lines = lines(before);
        int keyLine = keyLine(lines, key);
        int end = keyLine + 1;
        while (end < lines.size() && !topLevel(lines.get(end).text())) {
            end++;
        }
        String indent = null;
        int lastContent = -1;
        List<Integer> timeouts = new ArrayList<>();
        for (int i = keyLine + 1; i < end; i++) {
            String text = lines.get(i).text();
            if (blankOrComment(text)) {
                continue;
            }
            lastContent = i;
            if (indent == null) {
                indent = text.substring(0, text.length() - text.stripLeading().length());
            }
            if (text.startsWith(indent)
                    && text.length() > indent.length()
                    && !Character.isWhitespace(text.charAt(indent.length()))
                    && TIMEOUT_LINE.matcher(text.substring(indent.length())).matches()) {
                timeouts.add(i);
            }
        }
        if (indent == null || indent.isEmpty() || indent.contains("\t")) {
            throw new FixException("job " + key + " in " + CI_FILE + " is not a block mapping indented with spaces");
        }
        String current = tree.path(key).path("timeout").isMissingNode()
                ? null
                : tree.path(key).path("timeout").asString("");
        if (current != null && timeouts.size() != 1) {
            throw new FixException("the timeout of job " + key + " in " + CI_FILE + " is not written on one line of "
                    + "its own (" + current + "); raise it by hand");
        }
        Duration base = hit;
        if (current != null) {
            Duration set = gitlabDuration(current);
            if (set.compareTo(hit.plusSeconds(1)) > 0) {
                throw new FixException("job " + key + " sets timeout: " + current + " but was stopped after " + observed
                        + ": a lower limit applies (the runner's maximum job timeout); raise that in the runner's "
                        + "settings instead");
            }
            base = set;
        }
        if (base.compareTo(MAX) >= 0) {
            throw new FixException("job " + key + " ran into a timeout of " + format(base) + ", at or above the "
                    + format(MAX) + " ops-mcp raises timeouts to; find out why it is slow (see the log)");
        }
        Duration doubled = base.multipliedBy(2);
        Duration raised = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        String value = format(raised);
        StringBuilder after = new StringBuilder();
        if (current != null) {
            int at = timeouts.get(0);
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                if (i == at) {
                    Matcher m = TIMEOUT_LINE.matcher(l.text().substring(indent.length()));
                    if (!m.matches()) {
                        throw new IllegalStateException("timeout line changed under the matcher");
                    }
                    after.append(indent)
                            .append(m.group("head"))
                            .append(m.group("q"))
                            .append(value)
                            .append(m.group("q"))
                            .append(m.group("tail"))
                            .append(l.end());
                } else {
                    after.append(l.text()).append(l.end());
                }
            }
        } else {
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                String end0 = l.end().isEmpty() ? "\n" : l.end();
                after.append(l.text()).append(i == lastContent ? end0 : l.end());
                if (i == lastContent) {
                    after.append(indent).append("timeout: ").append(value).append(end0.equals("\r\n") ? "\r\n" : "\n");
                }
            }
        }
        String result = after.toString();
        ObjectNode expected = (ObjectNode) tree.deepCopy();
        ((ObjectNode) expected.get(key)).put("timeout", value);
        if (!expected.equals(parse(yaml, result))) {
            throw new FixException("editing job " + key + " in " + CI_FILE + " as text would change more than its "
                    + "timeout; raise it by hand");
        }
        String from = current == null ? "not set; the job was stopped at " + format(hit) : current;
        String note = "raise timeout of job " + key + " in " + CI_FILE + " to " + value + " (was " + from + "; "
                + (doubled.compareTo(MAX) > 0
                        ? "doubling would exceed " + format(MAX) + ", so capped at " + format(MAX)
                        : "doubled")
                + " — ops-mcp raises a job timeout to at most " + format(MAX)
                + "; a lower maximum timeout of the runner still applies)";
        return new FileChange(CI_FILE, before, result, note);
    }

    /** A Go {@code time.Duration} string as the runner prints it ({@code 1h0m0s}, {@code 30m0s}, {@code 45s}). */
    static Duration goDuration(String text) {
        if (text == null || text.isEmpty()) {
            throw new FixException("the trace does not say which timeout the job hit");
        }
        Matcher m = GO_PART.matcher(text);
        double seconds = 0;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                case "s" -> n;
                case "ms" -> n / 1e3;
                case "us", "µs" -> n / 1e6;
                default -> n / 1e9;
            };
            pos = m.end();
        }
        if (pos != text.length() || pos == 0) {
            throw new FixException("'" + text + "' is not a duration as the runner prints it (e.g. 1h0m0s)");
        }
        return Duration.ofSeconds(Math.round(seconds));
    }

    /** A value of GitLab's {@code timeout} keyword ({@code 30m}, {@code 1h 30m}, {@code 3 hours 30 minutes}). */
    static Duration gitlabDuration(String text) {
        String t = text.strip();
        Matcher m = GITLAB_PART.matcher(t);
        double seconds = 0;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            seconds += unit.startsWith("d")
                    ? n * 86400
                    : unit.startsWith("h") ? n * 3600 : unit.startsWith("m") ? n * 60 : n;
            pos = m.end();
        }
        if (pos != t.length() || pos == 0) {
            throw new FixException("cannot read the timeout value '" + text + "' (expected e.g. 30m or 1h 30m); raise "
                    + "it by hand");
        }
        return Duration.ofSeconds(Math.round(seconds));
    }

    /** In the keyword's short form: {@code 2h}, {@code 1h 30m}, {@code 45m}, {@code 90s} → {@code 1m 30s}. */
    static String format(Duration d) {
        List<String> parts = new ArrayList<>();
        if (d.toHours() > 0) {
            parts.add(d.toHours() + "h");
        }
        if (d.toMinutesPart() > 0) {
            parts.add(d.toMinutesPart() + "m");
        }
        if (d.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(d.toSecondsPart() + "s");
        }
        return String.join(" ", parts);
    }

    private static Set<String> candidates(String jobName) {
        Set<String> out = new LinkedHashSet<>();
        out.add(jobName);
        Matcher p = PARALLEL_SUFFIX.matcher(jobName);
        if (p.matches()) {
            out.add(p.group(1));
        }
        Matcher m = MATRIX_SUFFIX.matcher(jobName);
        if (m.matches()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static JsonNode parse(YAMLMapper yaml, String text) {
        try {
            JsonNode tree = yaml.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new FixException(CI_FILE + " is not a YAML mapping");
            }
            return tree;
        } catch (JacksonException e) {
            throw new FixException(CI_FILE + " is not valid YAML to ops-mcp's parser");
        }
    }

    private static int keyLine(List<Line> lines, String key) {
        Pattern p = Pattern.compile("^(?:" + Pattern.quote(key) + "|\"" + Pattern.quote(key) + "\"|'"
                + Pattern.quote(key) + "')[ \\t]*:(?<rest>[ \\t].*)?$");
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = p.matcher(lines.get(i).text());
            if (m.matches()) {
                String rest = m.group("rest") == null ? "" : m.group("rest").strip();
                if (!rest.isEmpty() && !rest.startsWith("#") && !rest.matches("&\\S+(\\s+#.*)?")) {
                    throw new FixException("job " + key + " in " + CI_FILE + " is not a block mapping (" + rest
                            + "); raise its timeout by hand");
                }
                if (found >= 0) {
                    throw new FixException(CI_FILE + " defines job " + key + " twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new FixException("job " + key + " is not written as a top-level key line in " + CI_FILE
                    + "; raise its timeout by hand");
        }
        return found;
    }

    private static boolean topLevel(String text) {
        return !text.isEmpty() && !Character.isWhitespace(text.charAt(0)) && text.charAt(0) != '#';
    }

    private static boolean blankOrComment(String text) {
        String s = text.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    /** One line without its terminator, and the terminator ({@code \n}, {@code \r\n} or empty at the end). */
    private record Line(String text, String end) {}

    private static List<Line> lines(String text) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(new Line(text.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && text.charAt(nl - 1) == '\r';
            out.add(new Line(text.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        return out;
    }
}
