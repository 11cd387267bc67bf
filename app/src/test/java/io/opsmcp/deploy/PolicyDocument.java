package io.opsmcp.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The statements an {@code aws_iam_policy_document} of a parsed {@link TerraformModule} produces for given variable
 * values, evaluated without Terraform. It understands the one shape the modules use and refuses every other, so a
 * policy written differently fails the test instead of being misread: a statement is static or a
 * {@code dynamic "statement"} whose {@code for_each} is {@code COND ? [1] : []}; COND is {@code true},
 * {@code false}, {@code var.X} (a bool), {@code local.X} (evaluated likewise), {@code length(var.X) > 0},
 * {@code !}, {@code &&}, {@code ||} and parentheses; {@code actions} is a list of literals or
 * {@code local.iam_actions.read_only|mutating}, where {@code local.iam_actions} must be the module's
 * {@code iam-actions.json}.
 */
final class PolicyDocument {

    /** One statement as it would be rendered. {@code resources} and {@code conditions} stay as written. */
    record Statement(String sid, Set<String> actions, JsonNode resources, JsonNode conditions) {}

    private static final Pattern GATE = Pattern.compile("^(.*)\\?\\s*\\[1]\\s*:\\s*\\[]$", Pattern.DOTALL);
    private static final Pattern ACTIONS_REF = Pattern.compile("^local\\.iam_actions\\.(read_only|mutating)$");
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(length\\(var\\.[a-z_]+\\)\\s*>\\s*0|&&|\\|\\||!|\\(|\\)|true|false|var\\.[a-z_]+|local\\.[a-z_]+)");

    private final TerraformModule module;
    private final IamActions file;
    private final Map<String, Object> vars;

    /**
     * @param file the module's iam-actions.json
     * @param vars variable values: {@code Boolean} for bools, {@code List} for lists
     */
    PolicyDocument(TerraformModule module, IamActions file, Map<String, Object> vars) {
        this.module = module;
        this.file = file;
        this.vars = vars;
        String decode = TerraformModule.expression(module.locals.get("iam_actions"));
        if (!"jsondecode(file(\"${path.module}/iam-actions.json\"))".equals(decode)) {
            throw new IllegalStateException(
                    "local.iam_actions must be jsondecode(file(\"${path.module}/iam-actions.json\"))," + " got "
                            + decode);
        }
    }

    /** The statements of {@code data.aws_iam_policy_document.NAME}. */
    List<Statement> statements(String name) {
        JsonNode doc = module.data("aws_iam_policy_document", name)
                .orElseThrow(() -> new IllegalStateException("no data.aws_iam_policy_document." + name));
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : doc.path("statement")) {
            out.add(statement(s));
        }
        // hcl2json: "dynamic": {"statement": [{"for_each": ..., "content": [{...}]}, ...]}
        for (String kind : doc.path("dynamic").propertyNames()) {
            if (!kind.equals("statement")) {
                throw new IllegalStateException("unexpected dynamic block " + kind);
            }
        }
        {
            for (JsonNode s : doc.path("dynamic").path("statement")) {
                String forEach = TerraformModule.expression(s.path("for_each"));
                Matcher gate = forEach == null ? null : GATE.matcher(forEach);
                if (gate == null || !gate.matches()) {
                    throw new IllegalStateException(
                            "dynamic statement: for_each must be `COND ? [1] : []`, got " + forEach);
                }
                if (evaluate(gate.group(1).strip())) {
                    out.add(statement(s.path("content").get(0)));
                }
            }
        }
        return out;
    }

    private Statement statement(JsonNode s) {
        if (!s.path("effect").isMissingNode()
                && !"Allow".equals(s.path("effect").asString())) {
            throw new IllegalStateException("only Allow statements are expected, got " + s);
        }
        if (s.has("not_actions") || s.has("not_resources")) {
            throw new IllegalStateException("not_actions / not_resources are not expected: " + s);
        }
        Set<String> actions = new LinkedHashSet<>();
        JsonNode a = s.path("actions");
        String ref = TerraformModule.expression(a);
        if (ref != null) {
            Matcher m = ACTIONS_REF.matcher(ref);
            if (!m.matches()) {
                throw new IllegalStateException(
                        "actions must be literals or local.iam_actions.read_only|mutating, got " + ref);
            }
            actions.addAll(m.group(1).equals("read_only") ? file.readOnly() : file.mutating());
        } else if (a.isArray()) {
            a.forEach(x -> {
                if (TerraformModule.expression(x) != null) {
                    throw new IllegalStateException("action list entries must be literals, got " + x);
                }
                actions.add(x.asString());
            });
        } else {
            throw new IllegalStateException("a statement without actions: " + s);
        }
        return new Statement(s.path("sid").asString(""), actions, s.path("resources"), s.path("condition"));
    }

    // ---- the boolean condition of a gate

    boolean evaluate(String condition) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(condition);
        int at = 0;
        while (at < condition.length()) {
            if (!m.find(at) || m.start() != at) {
                if (condition.substring(at).isBlank()) {
                    break;
                }
                throw new IllegalStateException(
                        "cannot evaluate `" + condition + "` at `" + condition.substring(at) + "`");
            }
            tokens.add(m.group(1).replaceAll("\\s+", ""));
            at = m.end();
        }
        int[] pos = {0};
        boolean value = or(tokens, pos);
        if (pos[0] != tokens.size()) {
            throw new IllegalStateException("cannot evaluate `" + condition + "`");
        }
        return value;
    }

    private boolean or(List<String> t, int[] pos) {
        boolean v = and(t, pos);
        while (pos[0] < t.size() && t.get(pos[0]).equals("||")) {
            pos[0]++;
            v = and(t, pos) || v;
        }
        return v;
    }

    private boolean and(List<String> t, int[] pos) {
        boolean v = unary(t, pos);
        while (pos[0] < t.size() && t.get(pos[0]).equals("&&")) {
            pos[0]++;
            v = unary(t, pos) && v;
        }
        return v;
    }

    private boolean unary(List<String> t, int[] pos) {
        String token = t.get(pos[0]++);
        switch (token) {
            case "!" -> {
                return !unary(t, pos);
            }
            case "(" -> {
                boolean v = or(t, pos);
                if (!t.get(pos[0]++).equals(")")) {
                    throw new IllegalStateException("unbalanced parentheses in " + t);
                }
                return v;
            }
            case "true" -> {
                return true;
            }
            case "false" -> {
                return false;
            }
            default -> {
                if (token.startsWith("length(var.")) {
                    String name = token.substring("length(var.".length(), token.indexOf(')'));
                    return !((List<?>) variable(name)).isEmpty();
                }
                if (token.startsWith("var.")) {
                    return (Boolean) variable(token.substring(4));
                }
                if (token.startsWith("local.")) {
                    JsonNode local = module.locals.get(token.substring(6));
                    if (local == null) {
                        throw new IllegalStateException("no " + token);
                    }
                    return local.isBoolean() ? local.asBoolean() : evaluate(TerraformModule.expression(local));
                }
                throw new IllegalStateException("unexpected `" + token + "`");
            }
        }
    }

    private Object variable(String name) {
        if (!vars.containsKey(name)) {
            throw new IllegalStateException("the scenario gives no value for var." + name);
        }
        return vars.get(name);
    }
}
