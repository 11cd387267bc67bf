package io.opsmcp.prompts;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A prompt loaded from a file: its definition and a {@link Template} that renders to one user message. Arguments
 * may list suggested values, which are its completions; arguments without them get the toolsets' completions
 * through the server (hosts, clusters, services, projects).
 */
final class FilePrompt implements OpsPrompt {

    /** Longest accepted argument value. */
    static final int MAX_VALUE = 2000;

    private final Definition definition;
    private final Template template;
    private final Map<String, List<String>> suggestions;

    FilePrompt(Definition definition, Template template, Map<String, List<String>> suggestions) {
        this.definition = definition;
        this.template = template;
        this.suggestions = Map.copyOf(suggestions);
    }

    @Override
    public Definition definition() {
        return definition;
    }

    /**
     * @throws ToolException INVALID_ARGUMENT naming a missing required argument, an unknown argument or a value
     *                       that is too long or holds control characters
     */
    @Override
    public List<Message> render(Map<String, String> arguments) {
        Map<String, String> values = new HashMap<>();
        if (arguments != null) {
            for (Map.Entry<String, String> e : arguments.entrySet()) {
                if (definition.arguments().stream().noneMatch(a -> a.name().equals(e.getKey()))) {
                    throw new ToolException(
                            Kind.INVALID_ARGUMENT,
                            e.getKey() + ": unknown argument; " + definition.name() + " takes "
                                    + definition.arguments().stream()
                                            .map(Argument::name)
                                            .toList());
                }
                String v = e.getValue() == null ? null : e.getValue().strip();
                if (v != null && v.length() > MAX_VALUE) {
                    throw new ToolException(
                            Kind.INVALID_ARGUMENT, e.getKey() + ": must be at most " + MAX_VALUE + " characters");
                }
                if (v != null && v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
                    throw new ToolException(
                            Kind.INVALID_ARGUMENT, e.getKey() + ": must not contain control characters");
                }
                if (v != null && !v.isEmpty()) {
                    values.put(e.getKey(), v);
                }
            }
        }
        for (Argument a : definition.arguments()) {
            if (a.required() && !values.containsKey(a.name())) {
                throw new ToolException(
                        Kind.INVALID_ARGUMENT,
                        a.name() + ": is required by " + definition.name() + " (" + a.description() + ")");
            }
        }
        return List.of(new Message("user", template.render(values).strip() + "\n"));
    }

    @Override
    public List<String> complete(String argument, String prefix) {
        List<String> values = suggestions.getOrDefault(argument, List.of());
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        return values.stream()
                .filter(v -> v.toLowerCase(Locale.ROOT).startsWith(p))
                .toList();
    }
}
