package io.opsmcp.server.toolsets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.mcp.McpFeatureContributor;
import tools.jackson.databind.JsonNode;

/**
 * Every toolset this build knows: tool modules found through {@link ServiceLoader} ({@link OpsToolsetProvider})
 * and the server's own MCP-level toolsets ({@link McpFeatureContributor}). Turns the configured
 * {@code toolsets} list into instances, rejecting unknown names with the list of known ones.
 */
public final class ToolsetCatalog {

    /** The enabled toolsets, created. */
    public record Enabled(List<OpsToolset> toolsets, List<McpFeatureContributor> contributors) {
    }

    private final Map<String, OpsToolsetProvider> providers = new LinkedHashMap<>();
    private final Map<String, McpFeatureContributor> contributors = new LinkedHashMap<>();

    /**
     * @param providers    tool-module providers (normally {@link #discover()})
     * @param contributors the server's MCP-level toolsets
     */
    public ToolsetCatalog(List<OpsToolsetProvider> providers, List<McpFeatureContributor> contributors) {
        for (OpsToolsetProvider p : providers) {
            if (this.providers.putIfAbsent(p.name(), p) != null) {
                throw new IllegalStateException("two toolset providers named " + p.name() + " on the class path");
            }
        }
        for (McpFeatureContributor c : contributors) {
            if (this.providers.containsKey(c.name()) || this.contributors.putIfAbsent(c.name(), c) != null) {
                throw new IllegalStateException("two toolsets named " + c.name());
            }
        }
    }

    /** Providers registered in {@code META-INF/services/io.opsmcp.core.tool.OpsToolsetProvider}. */
    public static List<OpsToolsetProvider> discover() {
        List<OpsToolsetProvider> found = new ArrayList<>();
        ServiceLoader.load(OpsToolsetProvider.class).forEach(found::add);
        return found;
    }

    /** Name → one-line description of every known toolset, sorted by name. */
    public Map<String, String> available() {
        Map<String, String> out = new TreeMap<>();
        providers.values().forEach(p -> out.put(p.name(), p.description()));
        contributors.values().forEach(c -> out.put(c.name(), c.description()
                + (c.offByDefault() ? " (off by default)" : "")));
        return out;
    }

    /**
     * Creates the named toolsets.
     *
     * @throws ConfigException for an unknown name, or when a provider rejects its configuration
     */
    public Enabled enable(List<String> names, JsonNode settings, Path dataDir) {
        List<OpsToolset> toolsets = new ArrayList<>();
        List<McpFeatureContributor> enabled = new ArrayList<>();
        for (String name : names.stream().distinct().toList()) {
            OpsToolsetProvider provider = providers.get(name);
            McpFeatureContributor contributor = contributors.get(name);
            if (provider != null) {
                try {
                    toolsets.add(provider.create(settings, dataDir));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("toolset " + name + ": " + e.getMessage());
                }
            } else if (contributor != null) {
                enabled.add(contributor);
            } else {
                throw new ConfigException("toolsets: unknown toolset '" + name + "'; available: "
                        + String.join(", ", available().keySet()));
            }
        }
        return new Enabled(toolsets, enabled);
    }
}
