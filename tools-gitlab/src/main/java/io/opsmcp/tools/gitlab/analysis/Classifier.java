package io.opsmcp.tools.gitlab.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsmcp.tools.gitlab.analysis.RuleLibrary.NextStep;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary.Rule;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Classifies a failed job's trace with a {@link RuleLibrary}. A {@link Scan} consumes the cleaned trace line by
 * line (bounded memory: per rule at most {@value #EVIDENCE_MATCHES} matches with {@value #CONTEXT} lines of
 * context); {@link Scan#result()} picks the holding rule with the highest confidence (ties: library order).
 * Thread-safe; each scan is used by one thread.
 */
public final class Classifier {

    static final int EVIDENCE_MATCHES = 3;
    static final int CONTEXT = 2;
    private static final int UNKNOWN_TAIL = 10;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");

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

    private static final class RuleState {
        final Rule rule;
        final boolean[] requiresSeen;
        final List<TraceLine> evidence = new ArrayList<>();
        final Map<String, String> extracted = new LinkedHashMap<>();
        int matches;
        boolean excluded;
        int afterLeft;
        long lastKept;

        RuleState(Rule rule) {
            this.rule = rule;
            this.requiresSeen = new boolean[rule.requires().size()];
        }
    }

    /** One job's classification in progress; feed it the trace, then ask for the result. */
    public final class Scan implements TraceReader.LineSink {

        private final JobFacts facts;
        private final List<RuleState> states = new ArrayList<>();
        private final TailBuffer before = new TailBuffer(CONTEXT);
        private final TailBuffer tail = new TailBuffer(UNKNOWN_TAIL);

        private Scan(JobFacts facts) {
            this.facts = facts;
            for (Rule rule : library.rules()) {
                states.add(new RuleState(rule));
            }
        }

        @Override
        public void line(long number, String text) {
            for (RuleState s : states) {
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
                boolean matched = false;
                if (s.matches < EVIDENCE_MATCHES) {
                    for (Pattern p : rule.match()) {
                        Matcher m = p.matcher(text);
                        if (m.find()) {
                            matched = true;
                            if (s.matches == 0) {
                                extract(s, m);
                            }
                            break;
                        }
                    }
                }
                if (matched) {
                    s.matches++;
                    for (TraceLine b : before.lines()) {
                        if (b.number() > s.lastKept) {
                            s.evidence.add(b);
                        }
                    }
                    s.evidence.add(new TraceLine(number, text, true));
                    s.lastKept = number;
                    s.afterLeft = CONTEXT;
                } else if (s.afterLeft > 0) {
                    s.evidence.add(new TraceLine(number, text, false));
                    s.lastKept = number;
                    s.afterLeft--;
                }
            }
            before.line(number, text);
            tail.line(number, text);
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

        private boolean holds(RuleState s) {
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
            if (!r.failureReasons().isEmpty() && (facts.failureReason() == null
                    || !r.failureReasons().contains(facts.failureReason()))) {
                return false;
            }
            return r.history().isEmpty() || r.history().stream().anyMatch(facts.history()::containsKey);
        }

        /** The classification of everything seen so far. */
        public Classification result() {
            List<RuleState> holding = new ArrayList<>();
            for (RuleState s : states) {
                if (holds(s)) {
                    holding.add(s);
                }
            }
            // stable sort: equal confidence keeps library order
            holding.sort(Comparator.comparingDouble((RuleState s) -> -s.rule.confidence()));
            if (holding.isEmpty()) {
                Map<String, String> fields = new LinkedHashMap<>(facts.fields());
                ObjectNode args = JsonNodeFactory.instance.objectNode();
                putArg(args, "project", fields.get("project"));
                putArg(args, "job_id", fields.get("job_id"));
                args.put("tail_lines", 100);
                return new Classification("unknown", "No rule matched", 0.2, null, tail.lines(),
                        List.copyOf(facts.history().values()), Map.of(), new Classification.Step("gitlab_job_log", args,
                        "no rule of the library recognised this failure; read the end of the log"), null, List.of());
            }
            RuleState best = holding.get(0);
            Rule rule = best.rule;
            RuleLibrary.Category category = library.category(rule.category());
            List<String> facts = new ArrayList<>();
            for (String h : rule.history()) {
                if (this.facts.history().containsKey(h)) {
                    facts.add(this.facts.history().get(h));
                }
            }
            if (!rule.failureReasons().isEmpty()) {
                facts.add("GitLab reports failure_reason " + this.facts.failureReason());
            }
            List<String> also = new ArrayList<>();
            for (RuleState s : holding.subList(1, holding.size())) {
                if (!s.rule.category().equals(rule.category()) && !also.contains(s.rule.category())) {
                    also.add(s.rule.category());
                }
            }
            // a rule decided by history or failure_reason alone borrows the lines of the best rule that matched
            List<TraceLine> evidence = best.evidence;
            if (evidence.isEmpty()) {
                evidence = holding.stream().filter(s -> !s.evidence.isEmpty()).findFirst().map(s -> s.evidence)
                        .orElseGet(tail::lines);
            }
            Map<String, String> values = new LinkedHashMap<>(this.facts.fields());
            values.putAll(best.extracted);
            NextStep step = rule.nextStep() != null ? rule.nextStep() : category.nextStep();
            return new Classification(rule.category(), category.title(), rule.confidence(), rule.id(),
                    List.copyOf(evidence), List.copyOf(facts), Map.copyOf(best.extracted),
                    resolve(step, values), rule.fix(), List.copyOf(also));
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
