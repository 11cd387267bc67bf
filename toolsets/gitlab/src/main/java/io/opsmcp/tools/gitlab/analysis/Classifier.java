package io.opsmcp.tools.gitlab.analysis;

import io.opsmcp.tools.gitlab.analysis.RuleLibrary.NextStep;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary.Rule;
import io.opsmcp.tools.gitlab.trace.LineNormalizer;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Classifies a failed job's trace with a {@link RuleLibrary}. A {@link Scan} consumes the cleaned trace line by
 * line with bounded memory (per rule: its latest {@value #EVIDENCE_MATCHES} matches with {@value #CONTEXT} lines of
 * context, and where its last match sits) and decides in {@link Scan#result()}.
 *
 * <p>Each line is first normalised ({@link LineNormalizer}: runner timestamps, workflow commands, pytest's
 * {@code E} marker, … removed), so {@code ^}-anchored rules see what the tool printed. The trace is cut into
 * <em>steps</em>: a GitLab section starts one, so does each script command ({@code $ cmd}) and each GitHub Actions
 * {@code ##[group]Run …}. The <em>failing step</em> is the last step with output before the job's verdict
 * ({@code ERROR: Job failed…}, {@code Process completed with exit code N}, …, else the end of the trace); the
 * {@code after_script} and cleanup sections never are (a trace without step markers is one step). Evidence
 * is weighed by where it sits: a rule whose last match is in the failing step or on the verdict line itself
 * decides; matches only in earlier (successful) steps or in after_script are reported as also-matched but do not
 * decide, so an intentional {@code Killed} or a link checker's DNS errors in an earlier step cannot win. Among
 * deciding rules the highest confidence wins (ties: library order), except that an {@code incidental} rule loses
 * to any other deciding rule that matched after it. Thread-safe; each scan is used by one thread.
 */
public final class Classifier {

    static final int EVIDENCE_MATCHES = 3;
    static final int CONTEXT = 2;
    private static final int UNKNOWN_TAIL = 10;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");
    /** Sections GitLab runs after the script, whatever its outcome. */
    private static final Set<String> POST_SECTIONS = Set.of(
            "after_script",
            "cleanup_file_variables",
            "upload_artifacts_on_failure",
            "upload_artifacts_on_success",
            "archive_cache",
            "archive_cache_on_failure",
            "cleanup_build");
    /** The runner's or CI system's own line saying the job (step) failed, with its exit status. */
    private static final Pattern VERDICT = Pattern.compile("^(?:ERROR|WARNING): Job failed\\b"
            + "|^(?:Error: )?Process completed with exit code [1-9]\\d*"
            + "|^(?:Error: )?The process '[^']+' failed with exit code [1-9]\\d*"
            + "|^Exited with code (?:exit status )?[1-9]\\d*"
            + "|^The command \".*\" exited with [1-9]\\d*\\.?$"
            + "|^ERROR: script returned exit code [1-9]\\d*"
            + "|^Build step '.*' marked build as failure");

    private static final Pattern STEP_COMMAND = Pattern.compile("^\\$ \\S");
    private static final Pattern ACTIONS_STEP = Pattern.compile("##\\[group]Run ");
    private static final Pattern TEST_FAILED = Pattern.compile("^--- FAIL: (\\S+)|^FAIL\\s+(\\S+)\\s+[\\d.]+s"
            + "|^(\\S+::\\S+) FAILED\\b|^FAILED (\\S+::\\S+)|^FAIL (\\S+\\.[jt]sx?)\\b");
    private static final Pattern TEST_PASSED = Pattern.compile("^--- PASS: (\\S+)|^ok\\s+(\\S+)\\s+[\\d.]+s"
            + "|^(\\S+::\\S+) PASSED\\b|^PASSED (\\S+::\\S+)|^PASS (\\S+\\.[jt]sx?)\\b");
    private static final int MAX_TESTS_TRACKED = 2000;

    private final RuleLibrary library;

    public Classifier(RuleLibrary library) {
        this.library = library;
    }

    public RuleLibrary library() {
        return library;
    }

    /** Starts classifying one job. */
    public Scan scan(JobFacts facts) {
        return new Scan(facts);
    }

    /** Where a match sits. */
    private record Position(long line, int step, boolean post, boolean verdict) {}

    private static final class RuleState {
        final Rule rule;
        final boolean[] requiresSeen;
        final ArrayDeque<List<TraceLine>> groups = new ArrayDeque<>();
        final Map<String, String> extracted = new LinkedHashMap<>();
        int matches;
        boolean excluded;
        int afterLeft;
        long lastKept;
        Position last;
        Position lastPost;

        RuleState(Rule rule) {
            this.rule = rule;
            this.requiresSeen = new boolean[rule.requires().size()];
        }

        List<TraceLine> evidence() {
            List<TraceLine> out = new ArrayList<>();
            groups.forEach(out::addAll);
            return out;
        }
    }

    /** One job's classification in progress; feed it the trace, then ask for the result. */
    public final class Scan implements TraceReader.LineSink {

        private final JobFacts facts;
        private final List<RuleState> states = new ArrayList<>();
        private final TailBuffer before = new TailBuffer(CONTEXT);
        private final TailBuffer tail = new TailBuffer(UNKNOWN_TAIL);
        private final Set<String> failedTests = new HashSet<>();
        private final Set<String> passedTests = new HashSet<>();
        private String flipped;
        private String section;
        private boolean inPost;
        private int step;
        private boolean stepHasOutput;
        private int lastOutputStep = -1;
        private int failingStep = -1;
        private long verdictLine = -1;

        private Scan(JobFacts facts) {
            this.facts = facts;
            for (Rule rule : library.rules()) {
                states.add(new RuleState(rule));
            }
        }

        @Override
        public void section(long number, String name, boolean start) {
            if (start) {
                section = name;
                inPost = POST_SECTIONS.contains(name);
                newStep();
            } else if (name.equals(section)) {
                section = null;
                inPost = false;
            }
        }

        private void newStep() {
            if (stepHasOutput) {
                step++;
                stepHasOutput = false;
            }
        }

        @Override
        public void line(long number, String raw) {
            String text = LineNormalizer.normalize(raw);
            if (STEP_COMMAND.matcher(text).find() || ACTIONS_STEP.matcher(raw).find()) {
                newStep();
            }
            boolean verdict = VERDICT.matcher(text).find();
            if (verdict) {
                verdictLine = number;
                if (failingStep < 0 || lastOutputStep > failingStep) {
                    failingStep = lastOutputStep;
                }
            } else if (!inPost && !text.isBlank()) {
                stepHasOutput = true;
                lastOutputStep = step;
            }
            trackTests(text);
            Position here = new Position(number, step, inPost && !verdict, verdict);
            for (RuleState s : states) {
                match(s, number, raw, text, here);
            }
            before.line(number, raw);
            tail.line(number, raw);
        }

        private void match(RuleState s, long number, String raw, String text, Position here) {
            Rule rule = s.rule;
            for (int i = 0; i < s.requiresSeen.length; i++) {
                if (!s.requiresSeen[i] && rule.requires().get(i).matcher(text).find()) {
                    s.requiresSeen[i] = true;
                }
            }
            if (!s.excluded) {
                for (Pattern p : rule.excludes()) {
                    if (p.matcher(text).find()) {
                        s.excluded = true;
                        break;
                    }
                }
            }
            Matcher matched = null;
            for (Pattern p : rule.match()) {
                Matcher m = p.matcher(text);
                if (m.find()) {
                    matched = m;
                    break;
                }
            }
            if (matched != null) {
                s.matches++;
                if (here.post()) {
                    s.lastPost = here;
                } else {
                    s.last = here;
                    s.extracted.clear();
                    extract(s, matched);
                }
                if (s.groups.isEmpty() || number > s.lastKept + 1) {
                    List<TraceLine> group = new ArrayList<>();
                    for (TraceLine b : before.lines()) {
                        if (b.number() > s.lastKept) {
                            group.add(b);
                        }
                    }
                    s.groups.addLast(group);
                    if (s.groups.size() > EVIDENCE_MATCHES) {
                        s.groups.removeFirst();
                    }
                }
                s.groups.peekLast().add(new TraceLine(number, raw, true));
                s.lastKept = number;
                s.afterLeft = CONTEXT;
            } else if (s.afterLeft > 0 && !s.groups.isEmpty()) {
                s.groups.peekLast().add(new TraceLine(number, raw, false));
                s.lastKept = number;
                s.afterLeft--;
            }
        }

        /** A test (or Go package) that both failed and passed in this job is flaky by its own evidence. */
        private void trackTests(String text) {
            if (flipped != null || failedTests.size() + passedTests.size() > MAX_TESTS_TRACKED) {
                return;
            }
            String failed = firstGroup(TEST_FAILED.matcher(text));
            if (failed != null) {
                failedTests.add(failed);
                if (passedTests.contains(failed)) {
                    flipped = failed;
                }
                return;
            }
            String passed = firstGroup(TEST_PASSED.matcher(text));
            if (passed != null) {
                passedTests.add(passed);
                if (failedTests.contains(passed)) {
                    flipped = passed;
                }
            }
        }

        private static String firstGroup(Matcher m) {
            if (!m.find()) {
                return null;
            }
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    return m.group(g);
                }
            }
            return null;
        }

        private void extract(RuleState s, Matcher m) {
            for (String group : s.rule.groups()) {
                String value;
                try {
                    value = m.group(group);
                } catch (IllegalArgumentException e) {
                    continue; // the group belongs to another of the rule's patterns
                }
                if (value != null) {
                    value = s.rule.aliases().getOrDefault(group, Map.of()).getOrDefault(value, value);
                    s.extracted.put(group, value);
                }
            }
        }

        private Map<String, String> history() {
            if (flipped == null) {
                return facts.history();
            }
            Map<String, String> h = new LinkedHashMap<>(facts.history());
            h.putIfAbsent("test_flipped", flipped + " both failed and passed in this job");
            return h;
        }

        private boolean holds(RuleState s, Map<String, String> history) {
            Rule r = s.rule;
            if (!r.match().isEmpty() && s.matches == 0) {
                return false;
            }
            for (boolean seen : s.requiresSeen) {
                if (!seen) {
                    return false;
                }
            }
            if (s.excluded) {
                return false;
            }
            if (!r.failureReasons().isEmpty()
                    && (facts.failureReason() == null || !r.failureReasons().contains(facts.failureReason()))) {
                return false;
            }
            return r.history().isEmpty() || r.history().stream().anyMatch(history::containsKey);
        }

        /**
         * Whether the rule's evidence sits where the job failed: in the failing step, near the verdict, on the
         * verdict line, or (for a rule decided by failure_reason or history alone) anywhere.
         */
        private boolean decisive(RuleState s) {
            if (s.rule.match().isEmpty()) {
                return true;
            }
            Position p = s.last;
            if (p == null) {
                return s.lastPost != null && s.lastPost.verdict();
            }
            if (p.verdict()) {
                return true;
            }
            int failing = failingStep >= 0 && verdictLine >= 0 ? failingStep : lastOutputStep;
            return p.step() >= failing;
        }

        /** The classification of everything seen so far. */
        public Classification result() {
            Map<String, String> history = history();
            List<RuleState> holding = new ArrayList<>();
            List<RuleState> earlier = new ArrayList<>();
            for (RuleState s : states) {
                if (holds(s, history)) {
                    (decisive(s) ? holding : earlier).add(s);
                }
            }
            // an incidental rule does not decide when another deciding rule matched after it
            List<RuleState> ranked = new ArrayList<>();
            for (RuleState s : holding) {
                boolean outranked = s.rule.incidental()
                        && holding.stream()
                                .anyMatch(o -> !o.rule.incidental()
                                        && (o.last == null || s.last == null || o.last.line() > s.last.line()));
                if (!outranked) {
                    ranked.add(s);
                }
            }
            for (RuleState s : holding) {
                if (!ranked.contains(s)) {
                    earlier.add(0, s);
                }
            }
            // stable sort: equal confidence keeps library order
            ranked.sort(Comparator.comparingDouble((RuleState s) -> -s.rule.confidence()));
            earlier.sort(Comparator.comparingDouble((RuleState s) -> -s.rule.confidence()));
            if (ranked.isEmpty()) {
                Map<String, String> fields = new LinkedHashMap<>(facts.fields());
                ObjectNode args = JsonNodeFactory.instance.objectNode();
                putArg(args, "project", fields.get("project"));
                putArg(args, "job_id", fields.get("job_id"));
                args.put("tail_lines", 100);
                List<String> also = new ArrayList<>();
                earlier.forEach(s -> {
                    if (!also.contains(s.rule.category())) {
                        also.add(s.rule.category());
                    }
                });
                String reason = also.isEmpty()
                        ? "no rule of the library recognised this failure; read the end of the log"
                        : "rules matched only in steps that passed or after the script (" + String.join(", ", also)
                                + "), not where the job failed; read the end of the log";
                return new Classification(
                        "unknown",
                        "No rule matched where the job failed",
                        0.2,
                        null,
                        tail.lines(),
                        List.copyOf(history.values()),
                        Map.of(),
                        new Classification.Step("gitlab_job_log", args, reason),
                        null,
                        List.copyOf(also));
            }
            RuleState best = ranked.get(0);
            Rule rule = best.rule;
            RuleLibrary.Category category = library.category(rule.category());
            List<String> factsOut = new ArrayList<>();
            for (String h : rule.history()) {
                if (history.containsKey(h)) {
                    factsOut.add(history.get(h));
                }
            }
            if (!rule.failureReasons().isEmpty()) {
                factsOut.add("GitLab reports failure_reason " + this.facts.failureReason());
            }
            List<String> also = new ArrayList<>();
            List<RuleState> others = new ArrayList<>(ranked.subList(1, ranked.size()));
            others.addAll(earlier);
            for (RuleState s : others) {
                if (!s.rule.category().equals(rule.category()) && !also.contains(s.rule.category())) {
                    also.add(s.rule.category());
                }
            }
            // a rule decided by history or failure_reason alone borrows the lines of the best rule that matched
            List<TraceLine> evidence = best.evidence();
            if (evidence.isEmpty()) {
                evidence = others.stream()
                        .map(RuleState::evidence)
                        .filter(e -> !e.isEmpty())
                        .findFirst()
                        .orElseGet(tail::lines);
            }
            Map<String, String> values = new LinkedHashMap<>(this.facts.fields());
            values.putAll(best.extracted);
            NextStep step = rule.nextStep() != null ? rule.nextStep() : category.nextStep();
            return new Classification(
                    rule.category(),
                    category.title(),
                    rule.confidence(),
                    rule.id(),
                    List.copyOf(evidence),
                    List.copyOf(factsOut),
                    Map.copyOf(best.extracted),
                    resolve(step, values),
                    rule.fix(),
                    List.copyOf(also));
        }
    }

    private static void putArg(ObjectNode args, String key, String value) {
        if (value == null) {
            return;
        }
        if (value.matches("^\\d{1,18}$") && key.endsWith("_id")) {
            args.put(key, Long.parseLong(value));
        } else {
            args.put(key, value);
        }
    }

    /** Fills {@code {placeholders}}; an argument that is one placeholder naming a numeric id becomes a number. */
    static Classification.Step resolve(NextStep step, Map<String, String> values) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : step.arguments().properties()) {
            JsonNode v = e.getValue();
            if (!v.isString()) {
                args.set(e.getKey(), v.deepCopy());
                continue;
            }
            Matcher whole = PLACEHOLDER.matcher(v.asString());
            if (whole.matches() && values.containsKey(whole.group(1))) {
                putArg(args, e.getKey(), values.get(whole.group(1)));
            } else {
                args.put(e.getKey(), fill(v.asString(), values));
            }
        }
        return new Classification.Step(step.tool(), args, step.reason() == null ? null : fill(step.reason(), values));
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "<" + m.group(1) + ">" : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
