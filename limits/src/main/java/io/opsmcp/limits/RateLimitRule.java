package io.opsmcp.limits;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.Globs;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code rate_limits:} in {@code ops-mcp.yaml}, checked.
 *
 * <pre>
 * rate_limits:
 *   - tools: [ecs_*]         # tool-name globs, * = any run of characters (as tools.include)
 *     roles: [deployer]      # optional: principals with one of these roles ...
 *     principals: [ci-*]     # optional: ... or whose id matches one of these globs; neither: every principal
 *     calls: 30              # at most 30 calls ...
 *     per: 1m                # ... per minute (the project's duration grammar)
 *     concurrent: 2          # and at most 2 running at once
 * </pre>
 *
 * @param name       where the rule sits in the configuration ({@code rate_limits[0]}), for messages
 * @param tools      tool-name globs; the rule applies to a call of a tool that matches one of them
 * @param principals principal-id globs, or empty
 * @param roles      role names, or empty
 * @param calls      calls admitted per {@code per} and principal, or 0 for no rate limit
 * @param per        the rate limit's period, or {@code null} with {@code calls} 0
 * @param perText    {@code per} as written, for messages
 * @param concurrent calls running at once per principal, or 0 for no concurrency limit
 */
public record RateLimitRule(
        String name,
        List<String> tools,
        List<String> principals,
        List<String> roles,
        int calls,
        Duration per,
        String perText,
        int concurrent) {

    /** Largest {@code calls}. */
    public static final int MAX_CALLS = 1_000_000;
    /** Largest {@code concurrent}. */
    public static final int MAX_CONCURRENT = 10_000;
    /** Shortest and longest {@code per}. */
    public static final Duration MIN_PER = Duration.ofSeconds(1);

    public static final Duration MAX_PER = Duration.ofDays(1);

    /** Tool names are {@code ^[a-z][a-z0-9_]{0,63}$}; a pattern may hold only those characters and {@code *}. */
    private static final Pattern TOOL_PATTERN = Pattern.compile("^[a-z0-9_*]{1,64}$");

    public RateLimitRule {
        tools = List.copyOf(tools);
        principals = List.copyOf(principals);
        roles = List.copyOf(roles);
    }

    /** One rule as written, bound by {@link ConfigBinding} (unknown keys are an error naming them). */
    record RuleFile(
            JsonNode tools,
            List<String> principals,
            List<String> roles,
            Integer calls,
            String per,
            Integer concurrent) {}

    /**
     * The rules of {@code rate_limits:} in the configuration tree, in order; none when it is absent.
     *
     * @throws InvalidConfigException naming the rule and the field ({@code rate_limits[1].per: must be a duration
     *                                like 90s, ...})
     */
    public static List<RateLimitRule> fromConfig(JsonNode root) {
        JsonNode list = root == null ? null : root.get("rate_limits");
        if (list == null || list.isNull() || list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidConfigException("rate_limits: must be a list of rules, e.g. [{tools: [ecs_*], calls: 30,"
                    + " per: 1m, concurrent: 2}]");
        }
        List<RateLimitRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = "rate_limits[" + i + "]";
            RuleFile file;
            try {
                file = ConfigBinding.bind(list.get(i), name, RuleFile.class);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage());
            }
            rules.add(check(name, file));
        }
        return List.copyOf(rules);
    }

    private static RateLimitRule check(String name, RuleFile f) {
        List<String> tools = strings(name + ".tools", f.tools());
        if (tools.isEmpty()) {
            throw new InvalidConfigException(name + ".tools: required: the tool-name patterns the rule applies to,"
                    + " e.g. [ecs_*] or [\"*\"] for every tool");
        }
        for (int i = 0; i < tools.size(); i++) {
            if (!TOOL_PATTERN.matcher(tools.get(i)).matches()) {
                throw new InvalidConfigException(name + ".tools[" + i + "]: '" + tools.get(i) + "' is not a tool name"
                        + " pattern: use 1 to 64 lower-case letters, digits, _ and * (any run of characters), e.g."
                        + " ecs_* or host_service_*");
            }
        }
        List<String> principals = nonBlank(name + ".principals", f.principals());
        List<String> roles = nonBlank(name + ".roles", f.roles());
        int calls = 0;
        Duration per = null;
        if (f.calls() != null || f.per() != null) {
            if (f.calls() == null) {
                throw new InvalidConfigException(name + ".calls: required with per: how many calls per " + f.per());
            }
            if (f.per() == null) {
                throw new InvalidConfigException(name + ".per: required with calls: the period of " + f.calls()
                        + " calls, " + Durations.GRAMMAR);
            }
            if (f.calls() < 1 || f.calls() > MAX_CALLS) {
                throw new InvalidConfigException(name + ".calls: must be 1.." + MAX_CALLS + " (got " + f.calls() + ")");
            }
            try {
                per = Durations.parse(name + ".per", f.per());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage());
            }
            if (per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
                throw new InvalidConfigException(name + ".per: must be from 1s to 1d (got " + f.per() + ")");
            }
            calls = f.calls();
        }
        int concurrent = 0;
        if (f.concurrent() != null) {
            if (f.concurrent() < 1 || f.concurrent() > MAX_CONCURRENT) {
                throw new InvalidConfigException(
                        name + ".concurrent: must be 1.." + MAX_CONCURRENT + " (got " + f.concurrent() + ")");
            }
            concurrent = f.concurrent();
        }
        if (calls == 0 && concurrent == 0) {
            throw new InvalidConfigException(
                    name + ": sets no limit: give calls and per, or concurrent, or both (e.g. calls: 30, per: 1m)");
        }
        return new RateLimitRule(name, tools, principals, roles, calls, per, f.per(), concurrent);
    }

    /** A glob, or a list of them. */
    private static List<String> strings(String field, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.asString());
        }
        if (!node.isArray()) {
            throw new InvalidConfigException(field + ": must be a pattern or a list of patterns, e.g. [ecs_*]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isString()) {
                throw new InvalidConfigException(field + "[" + i + "]: must be a text pattern, e.g. ecs_*");
            }
            out.add(node.get(i).asString());
        }
        return out;
    }

    private static List<String> nonBlank(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank() || v.length() > 256) {
                throw new InvalidConfigException(
                        field + "[" + i + "]: must be a non-blank name of at most 256" + " characters");
            }
        }
        return values;
    }

    /**
     * Whether the rule applies to a call of {@code tool} by {@code principal}: the tool matches one of
     * {@link #tools}, and the principal matches one of {@link #principals} or holds one of {@link #roles} (when
     * neither is given, every principal).
     */
    public boolean appliesTo(String tool, Principal principal) {
        if (tool == null || tools.stream().noneMatch(t -> Globs.matches(t, tool))) {
            return false;
        }
        if (principals.isEmpty() && roles.isEmpty()) {
            return true;
        }
        return principals.stream().anyMatch(p -> Globs.matches(p, principal.id()))
                || roles.stream().anyMatch(principal.roles()::contains);
    }

    /** The tools as a client reads them in a refusal: {@code ecs_*}, {@code ecs_*, logs_*} or {@code any tool}. */
    String toolsText() {
        return tools.contains("*") ? "any tool" : String.join(", ", tools);
    }
}
