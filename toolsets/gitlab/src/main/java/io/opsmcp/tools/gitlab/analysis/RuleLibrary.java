package io.opsmcp.tools.gitlab.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The failure rule library: categories (title and the suggested next step) and rules (patterns, conditions,
 * extractors). Data, not code: the built-in library is the resource {@value #BUILT_IN}; operators' files (same
 * format, {@code toolsets/gitlab/README.md} "Failure rules") are added after it; a rule whose id exists replaces it,
 * a category whose id exists replaces it. Immutable after loading.
 */
public final class RuleLibrary {

    /** Resource name of the built-in library. */
    public static final String BUILT_IN = "/io/opsmcp/tools/gitlab/failure-rules.yaml";
    /** Mechanical fixes gitlab_propose_fix knows how to make. */
    public static final Set<String> FIXES = Set.of("python_requirement", "npm_dependency", "ci_job_timeout");
    /**
     * Facts a rule may require besides the trace: {@code passed_on_retry} (another attempt of the job passed in this
     * pipeline) and {@code passed_on_previous_commit} (looked up in GitLab by the analysis), {@code test_flipped}
     * (the trace itself shows one test or package both failing and passing).
     */
    public static final Set<String> HISTORY_FACTS =
            Set.of("passed_on_retry", "passed_on_previous_commit", "test_flipped");
    /** Placeholders every job provides to next-step arguments. */
    public static final Set<String> JOB_PLACEHOLDERS =
            Set.of("project", "pipeline_id", "job_id", "job_name", "stage", "ref", "sha");

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    private static final Pattern TOOL = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");
    private static final Set<String> TOP_KEYS = Set.of("version", "categories", "rules");
    private static final Set<String> CATEGORY_KEYS = Set.of("id", "title", "next_step");
    private static final Set<String> RULE_KEYS = Set.of(
            "id",
            "category",
            "confidence",
            "match",
            "requires",
            "excludes",
            "failure_reasons",
            "history",
            "fix",
            "aliases",
            "next_step",
            "incidental");
    private static final Set<String> STEP_KEYS = Set.of("tool", "arguments", "reason");

    /** The suggested next step: a tool and its arguments, with {@code {placeholders}} still in. */
    public record NextStep(String tool, ObjectNode arguments, String reason) {}

    /** A failure class. */
    public record Category(String id, String title, NextStep nextStep) {}

    /**
     * One rule. It holds for a job when: some line matches one of {@code match} (or {@code match} is empty),
     * every {@code requires} pattern matches some line, no {@code excludes} pattern matches any line, the job's
     * failure_reason is in {@code failureReasons} (when given) and one of {@code history} holds (when given).
     *
     * @param groups  names of the named groups of the {@code match} patterns (the extracted fields)
     * @param aliases per extracted field, a map from extracted value to the value to use (e.g. import name to
     *                PyPI distribution)
     * @param source  where the rule was loaded from (for messages)
     * @param incidental whether the rule's lines also appear in jobs that fail for another reason (a retried
     *                network call, a test's own log output): such a rule does not decide when a rule that is not
     *                incidental matched after it in the failing step
     */
    public record Rule(
            String id,
            String category,
            double confidence,
            List<Pattern> match,
            List<Pattern> requires,
            List<Pattern> excludes,
            Set<String> failureReasons,
            Set<String> history,
            String fix,
            Map<String, Map<String, String>> aliases,
            NextStep nextStep,
            Set<String> groups,
            String source,
            boolean incidental) {}

    private final Map<String, Category> categories;
    private final List<Rule> rules;

    private RuleLibrary(Map<String, Category> categories, List<Rule> rules) {
        this.categories = Map.copyOf(categories);
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The category, or {@code null} when unknown. */
    public Category category(String id) {
        return categories.get(id);
    }

    public Set<String> categoryIds() {
        return categories.keySet();
    }

    /** The built-in library only. */
    public static RuleLibrary builtIn() {
        return load(List.of());
    }

    /**
     * The built-in library followed by the given files.
     *
     * @throws IllegalArgumentException naming the file, the rule and the problem (bad regex, unknown category, …)
     */
    public static RuleLibrary load(List<Path> files) {
        YAMLMapper yaml = YAMLMapper.builder().build();
        Map<String, Category> categories = new LinkedHashMap<>();
        Map<String, Rule> rules = new LinkedHashMap<>();
        try (InputStream in = RuleLibrary.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILT_IN + " is missing from the class path");
            }
            add(yaml.readTree(in), "built-in rules", categories, rules);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("built-in failure rules cannot be read: " + e.getMessage(), e);
        }
        for (Path file : files) {
            JsonNode tree;
            try {
                tree = yaml.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("gitlab.rules_files: " + file + " cannot be read: "
                        + e.getClass().getSimpleName());
            } catch (JacksonException e) {
                throw new IllegalArgumentException(
                        "gitlab.rules_files: " + file + " is not valid YAML: " + e.getOriginalMessage());
            }
            add(tree, file.toString(), categories, rules);
        }
        for (Rule rule : rules.values()) {
            if (!categories.containsKey(rule.category())) {
                throw new IllegalArgumentException(rule.source() + ": rule " + rule.id() + ": unknown category '"
                        + rule.category() + "'; known: " + categories.keySet());
            }
        }
        for (Category c : categories.values()) {
            // a category's next step may use the job fields and the fields its rules extract
            Set<String> allowed = new LinkedHashSet<>(JOB_PLACEHOLDERS);
            rules.values().stream().filter(r -> r.category().equals(c.id())).forEach(r -> allowed.addAll(r.groups()));
            checkPlaceholders(c.nextStep(), allowed, "category " + c.id());
        }
        return new RuleLibrary(categories, new ArrayList<>(rules.values()));
    }

    private static void add(JsonNode tree, String source, Map<String, Category> categories, Map<String, Rule> rules) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(source + ": must be a mapping with categories and/or rules");
        }
        keys(tree, TOP_KEYS, source);
        JsonNode version = tree.get("version");
        if (version != null && !(version.isIntegralNumber() && version.asInt() == 1)) {
            throw new IllegalArgumentException(source + ": version must be 1");
        }
        for (JsonNode c : list(tree, "categories", source)) {
            keys(c, CATEGORY_KEYS, source + ": category");
            String id = id(c, source + ": category");
            String where = source + ": category " + id;
            String title = text(c, "title", where, true);
            NextStep step = step(c.get("next_step"), where);
            if (step == null) {
                throw new IllegalArgumentException(where + ": next_step is required");
            }
            categories.put(id, new Category(id, title, step));
        }
        for (JsonNode r : list(tree, "rules", source)) {
            keys(r, RULE_KEYS, source + ": rule");
            Rule rule = rule(r, source);
            rules.remove(rule.id());
            rules.put(rule.id(), rule);
        }
    }

    private static Rule rule(JsonNode r, String source) {
        String id = id(r, source + ": rule");
        String where = source + ": rule " + id;
        String category = text(r, "category", where, true);
        JsonNode conf = r.get("confidence");
        if (conf == null || !conf.isNumber() || conf.asDouble() <= 0 || conf.asDouble() > 1) {
            throw new IllegalArgumentException(where + ": confidence must be a number in (0, 1]");
        }
        List<Pattern> match = patterns(r, "match", where);
        List<Pattern> requires = patterns(r, "requires", where);
        List<Pattern> excludes = patterns(r, "excludes", where);
        Set<String> reasons = new LinkedHashSet<>(strings(r, "failure_reasons", where));
        Set<String> history = new LinkedHashSet<>(strings(r, "history", where));
        for (String h : history) {
            if (!HISTORY_FACTS.contains(h)) {
                throw new IllegalArgumentException(where + ": history: unknown fact '" + h + "'; known: "
                        + HISTORY_FACTS.stream().sorted().toList());
            }
        }
        if (match.isEmpty() && reasons.isEmpty() && history.isEmpty()) {
            throw new IllegalArgumentException(where + ": needs at least one of match, failure_reasons, history");
        }
        String fix = text(r, "fix", where, false);
        if (fix != null && !FIXES.contains(fix)) {
            throw new IllegalArgumentException(where + ": fix: unknown fix '" + fix + "'; known: "
                    + FIXES.stream().sorted().toList());
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Pattern p : match) {
            Matcher m = GROUP_NAME.matcher(p.pattern());
            while (m.find()) {
                groups.add(m.group(1));
            }
        }
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        JsonNode a = r.get("aliases");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new IllegalArgumentException(where + ": aliases must map an extracted field to {value: alias}");
            }
            for (Map.Entry<String, JsonNode> field : a.properties()) {
                if (!groups.contains(field.getKey()) || !field.getValue().isObject()) {
                    throw new IllegalArgumentException(where + ": aliases." + field.getKey()
                            + ": must name a named group of match and map values to aliases");
                }
                Map<String, String> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : field.getValue().properties()) {
                    map.put(e.getKey(), e.getValue().asString());
                }
                aliases.put(field.getKey(), Map.copyOf(map));
            }
        }
        NextStep step = step(r.get("next_step"), where);
        Set<String> allowed = new LinkedHashSet<>(JOB_PLACEHOLDERS);
        allowed.addAll(groups);
        checkPlaceholders(step, allowed, where);
        JsonNode inc = r.get("incidental");
        if (inc != null && !inc.isNull() && !inc.isBoolean()) {
            throw new IllegalArgumentException(where + ": incidental must be true or false");
        }
        return new Rule(
                id,
                category,
                conf.asDouble(),
                match,
                requires,
                excludes,
                Set.copyOf(reasons),
                Set.copyOf(history),
                fix,
                Map.copyOf(aliases),
                step,
                Set.copyOf(groups),
                source,
                inc != null && inc.asBoolean(false));
    }

    private static NextStep step(JsonNode s, String where) {
        if (s == null || s.isNull()) {
            return null;
        }
        keys(s, STEP_KEYS, where + ": next_step");
        String tool = text(s, "tool", where + ": next_step", true);
        if (!TOOL.matcher(tool).matches()) {
            throw new IllegalArgumentException(where + ": next_step.tool: '" + tool + "' is not a tool name");
        }
        JsonNode args = s.get("arguments");
        if (args != null && !args.isObject()) {
            throw new IllegalArgumentException(where + ": next_step.arguments must be a mapping");
        }
        ObjectNode arguments = args == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) args.deepCopy();
        return new NextStep(tool, arguments, text(s, "reason", where + ": next_step", false));
    }

    private static void checkPlaceholders(NextStep step, Set<String> allowed, String where) {
        if (step == null) {
            return;
        }
        List<String> texts = new ArrayList<>();
        step.arguments().properties().forEach(e -> texts.add(e.getValue().asString("")));
        if (step.reason() != null) {
            texts.add(step.reason());
        }
        for (String t : texts) {
            Matcher m = PLACEHOLDER.matcher(t);
            while (m.find()) {
                if (!allowed.contains(m.group(1))) {
                    throw new IllegalArgumentException(where + ": next_step uses {" + m.group(1)
                            + "}, which is neither a job field "
                            + JOB_PLACEHOLDERS.stream().sorted().toList()
                            + " nor a named group of the rule's match patterns");
                }
            }
        }
    }

    private static List<Pattern> patterns(JsonNode r, String key, String where) {
        List<Pattern> out = new ArrayList<>();
        List<String> values = strings(r, key, where);
        for (int i = 0; i < values.size(); i++) {
            try {
                out.add(Pattern.compile(values.get(i)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        where + ": " + key + "[" + i + "]: not a valid regular expression: " + e.getDescription());
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode r, String key, String where) {
        JsonNode v = r.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isString() || e.asString().isEmpty()) {
                throw new IllegalArgumentException(where + ": " + key + " must be a list of non-empty strings");
            }
            out.add(e.asString());
        }
        return out;
    }

    private static Iterable<JsonNode> list(JsonNode tree, String key, String source) {
        JsonNode v = tree.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(source + ": " + key + " must be a list");
        }
        return v;
    }

    private static String id(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        String id = text(node, "id", where, true);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": id '" + id + "' must match " + ID.pattern());
        }
        return id;
    }

    private static String text(JsonNode node, String key, String where, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": " + key + " is required");
            }
            return null;
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a non-empty string");
        }
        return v.asString();
    }

    private static void keys(JsonNode node, Set<String> allowed, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(where + ": unknown key '" + e.getKey() + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }
}
