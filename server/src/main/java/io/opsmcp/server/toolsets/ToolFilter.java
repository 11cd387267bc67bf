package io.opsmcp.server.toolsets;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.server.config.ToolListSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which tools of the enabled toolsets are published ({@code tools.read_only},
 * {@code tools.include}, {@code tools.exclude}). It wraps the toolsets before they reach the
 * {@link io.opsmcp.guard.gateway.ToolGateway}, so {@code tools/list} on every transport, {@code tools/call}
 * (a left-out name is an unknown tool and never reaches its toolset), {@code ops-mcp tools} and
 * {@code ops://tools/catalog} all see the same list. Resources, templates, prompts and completions are untouched.
 *
 * <p>Order: read-only first, then {@code include} (absent: every tool), then {@code exclude}.
 */
public final class ToolFilter {

    private final ToolListSettings settings;

    public ToolFilter(ToolListSettings settings) {
        this.settings = settings;
    }

    /** Whether the tool is published. */
    public boolean admits(ToolDefinition tool) {
        if (settings.readOnly() && !tool.readOnly()) {
            return false;
        }
        if (settings.include() != null && !anyMatches(settings.include(), tool.name())) {
            return false;
        }
        return !anyMatches(settings.exclude(), tool.name());
    }

    /** The toolsets with only their admitted tools; the same list when nothing is filtered. */
    public List<OpsToolset> apply(List<OpsToolset> toolsets) {
        if (!settings.filters()) {
            return List.copyOf(toolsets);
        }
        return toolsets.stream().map(t -> (OpsToolset) new Filtered(t, this)).toList();
    }

    /**
     * Startup warnings: each {@code include} or {@code exclude} pattern that matches no tool of {@code toolsets}
     * (before filtering), and a filter that leaves no tool at all. A pattern that matches nothing is a warning and
     * not an error, so one configuration can serve installations that enable different toolsets.
     */
    public List<String> warnings(List<OpsToolset> toolsets) {
        List<String> names = toolsets.stream()
                .flatMap(t -> t.tools().stream())
                .map(t -> t.definition().name())
                .toList();
        List<String> enabled = toolsets.stream().map(OpsToolset::name).toList();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> field : Map.of(
                        "tools.include",
                        settings.include() == null ? List.<String>of() : settings.include(),
                        "tools.exclude",
                        settings.exclude())
                .entrySet()) {
            for (String pattern : field.getValue()) {
                if (names.stream().noneMatch(n -> ToolListSettings.matches(pattern, n))) {
                    out.add(field.getKey() + ": pattern '" + pattern + "' matches no tool of the enabled toolsets ("
                            + String.join(", ", enabled) + "); check the name, or enable the toolset it is for");
                }
            }
        }
        out.sort(null);
        boolean anyLeft = toolsets.stream().flatMap(t -> t.tools().stream()).anyMatch(t -> admits(t.definition()));
        if (settings.filters() && !anyLeft) {
            out.add("tools.read_only/include/exclude leave no tool: tools/list is empty");
        }
        return out;
    }

    private static boolean anyMatches(List<String> patterns, String name) {
        return patterns.stream().anyMatch(p -> ToolListSettings.matches(p, name));
    }

    /** A toolset seen through the filter: its admitted tools, everything else as it is. */
    private record Filtered(OpsToolset delegate, ToolFilter filter) implements OpsToolset {

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public List<OpsTool> tools() {
            return delegate.tools().stream()
                    .filter(t -> filter.admits(t.definition()))
                    .toList();
        }

        @Override
        public List<OpsResource> resources() {
            return delegate.resources();
        }

        @Override
        public List<OpsResourceTemplate> resourceTemplates() {
            return delegate.resourceTemplates();
        }

        @Override
        public List<OpsPrompt> prompts() {
            return delegate.prompts();
        }

        @Override
        public List<String> complete(String argument, String prefix, Map<String, String> context) {
            return delegate.complete(argument, prefix, context);
        }

        @Override
        public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
            return delegate.describeCompletion(argument, value, context);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
