package io.opsmcp.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small logic-less template, a subset of Mustache (mustache(5)) without HTML escaping: {@code {{name}}} inserts a
 * value (empty when absent), {@code {{#name}}…{{/name}}} keeps its content only when the value is present and not
 * blank, {@code {{^name}}…{{/name}}} only when it is absent or blank. Sections nest. Immutable and thread-safe.
 */
final class Template {

    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([#^/]?)\\s*([a-z][a-z0-9_]*)\\s*}}");

    private sealed interface Node permits Text, Variable, Section {}

    private record Text(String text) implements Node {}

    private record Variable(String name) implements Node {}

    private record Section(String name, boolean inverted, List<Node> children) implements Node {}

    private final List<Node> nodes;
    private final Set<String> names;

    private Template(List<Node> nodes, Set<String> names) {
        this.nodes = nodes;
        this.names = names;
    }

    /**
     * @throws IllegalArgumentException for an unclosed or mismatched section, or a stray {@code {{}
     */
    static Template parse(String text) {
        Set<String> names = new LinkedHashSet<>();
        List<List<Node>> stack = new ArrayList<>();
        List<Section> open = new ArrayList<>();
        stack.add(new ArrayList<>());
        Matcher m = TAG.matcher(text);
        int at = 0;
        while (m.find()) {
            addText(stack, text.substring(at, m.start()));
            at = m.end();
            String kind = m.group(1);
            String name = m.group(2);
            names.add(name);
            switch (kind) {
                case "#", "^" -> {
                    Section s = new Section(name, kind.equals("^"), new ArrayList<>());
                    stack.get(stack.size() - 1).add(s);
                    open.add(s);
                    stack.add(s.children());
                }
                case "/" -> {
                    if (open.isEmpty() || !open.get(open.size() - 1).name().equals(name)) {
                        throw new IllegalArgumentException("{{/" + name + "}} closes no open section"
                                + (open.isEmpty()
                                        ? ""
                                        : "; open: {{#"
                                                + open.get(open.size() - 1).name() + "}}"));
                    }
                    open.remove(open.size() - 1);
                    stack.remove(stack.size() - 1);
                }
                default -> stack.get(stack.size() - 1).add(new Variable(name));
            }
        }
        addText(stack, text.substring(at));
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(
                    "section {{#" + open.get(open.size() - 1).name() + "}} is not closed");
        }
        return new Template(List.copyOf(stack.get(0)), Set.copyOf(names));
    }

    private static void addText(List<List<Node>> stack, String text) {
        if (text.contains("{{")) {
            throw new IllegalArgumentException("malformed tag near: "
                    + text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 30)));
        }
        if (!text.isEmpty()) {
            stack.get(stack.size() - 1).add(new Text(text));
        }
    }

    /** Every name the template refers to. */
    Set<String> names() {
        return names;
    }

    String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        render(nodes, values, out);
        return out.toString();
    }

    private static void render(List<Node> nodes, Map<String, String> values, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Variable v) {
                String value = values.get(v.name());
                out.append(value == null ? "" : value);
            } else if (n instanceof Section s) {
                String value = values.get(s.name());
                boolean present = value != null && !value.isBlank();
                if (present != s.inverted()) {
                    render(s.children(), values, out);
                }
            }
        }
    }
}
