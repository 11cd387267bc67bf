package io.opsmcp.server.toolsets;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.mcp.McpFeatureContributor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Every toolset this build knows: tool modules found through {@link ServiceLoader} ({@link OpsToolsetProvider})
 * and the server's own MCP-level toolsets ({@link McpFeatureContributor}). Turns the configured
 * {@code toolsets} list into instances, rejecting unknown names with the list of known ones.
 */
public final class ToolsetCatalog {

    /** The enabled toolsets, created, and the sandboxes started for them (close sandboxes last). */
    public record Enabled(
            List<OpsToolset> toolsets, List<McpFeatureContributor> contributors, List<ToolsetSandbox> sandboxes) {}

    private final Map<String, OpsToolsetProvider> providers = new LinkedHashMap<>();
    private final Map<String, McpFeatureContributor> contributors = new LinkedHashMap<>();
    private final Map<String, ToolsetSandboxProvider> sandboxProviders = new LinkedHashMap<>();

    /**
     * A catalog with the sandbox providers found on the class path ({@link #discoverSandboxes()}).
     *
     * @param providers    tool-module providers (normally {@link #discover()})
     * @param contributors the server's MCP-level toolsets
     */
    public ToolsetCatalog(List<OpsToolsetProvider> providers, List<McpFeatureContributor> contributors) {
        this(providers, contributors, discoverSandboxes());
    }

    /**
     * @param providers        tool-module providers (normally {@link #discover()})
     * @param contributors     the server's MCP-level toolsets
     * @param sandboxProviders simulated systems per toolset name, at most one each
     */
    public ToolsetCatalog(
            List<OpsToolsetProvider> providers,
            List<McpFeatureContributor> contributors,
            List<ToolsetSandboxProvider> sandboxProviders) {
        for (ToolsetSandboxProvider p : sandboxProviders) {
            if (this.sandboxProviders.putIfAbsent(p.toolset(), p) != null) {
                throw new IllegalStateException("two sandboxes for toolset " + p.toolset() + " on the class path");
            }
        }
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

    /** Sandboxes registered in {@code META-INF/services/io.opsmcp.core.tool.ToolsetSandboxProvider}. */
    public static List<ToolsetSandboxProvider> discoverSandboxes() {
        List<ToolsetSandboxProvider> found = new ArrayList<>();
        ServiceLoader.load(ToolsetSandboxProvider.class).forEach(found::add);
        return found;
    }

    /** Name → one-line description of every known toolset, sorted by name. */
    public Map<String, String> available() {
        Map<String, String> out = new TreeMap<>();
        providers.values().forEach(p -> out.put(p.name(), p.description() + (p.alwaysEnabled() ? " (always on)" : "")));
        contributors
                .values()
                .forEach(c -> out.put(c.name(), c.description() + (c.offByDefault() ? " (off by default)" : "")));
        return out;
    }

    /**
     * Creates the named toolsets. With {@code sandbox}, each enabled toolset that has simulated systems starts
     * them first (under {@code sandboxDir/NAME}) and they are added to the configuration the toolsets see.
     *
     * @throws ConfigException for an unknown name, or when a provider rejects its configuration; sandboxes
     *                         already started are stopped again
     */
    public Enabled enable(List<String> names, JsonNode settings, Path dataDir, boolean sandbox, Path sandboxDir) {
        return enable(names, settings, dataDir, sandbox, sandboxDir, false);
    }

    /**
     * Like {@link #enable(List, JsonNode, Path, boolean, Path)}; with {@code readAhead}, the enabled toolsets read
     * what they ship on a thread of their own meanwhile ({@link OpsToolsetProvider#prepare()}): for a stdio client
     * waiting for {@code initialize}. An HTTP server, which starts whole before it listens, gains nothing from it.
     */
    public Enabled enable(
            List<String> names, JsonNode settings, Path dataDir, boolean sandbox, Path sandboxDir, boolean readAhead) {
        List<String> requested = new ArrayList<>(names);
        providers.values().stream()
                .filter(OpsToolsetProvider::alwaysEnabled)
                .map(OpsToolsetProvider::name)
                .forEach(requested::add);
        List<String> unique = requested.stream().distinct().toList();
        for (String name : unique) {
            if (!providers.containsKey(name) && !contributors.containsKey(name)) {
                throw new ConfigException("toolsets: unknown toolset '" + name + "'; available: "
                        + String.join(", ", available().keySet()));
            }
        }
        if (readAhead) {
            prepareAhead(unique);
        }
        List<ToolsetSandbox> sandboxes = new ArrayList<>();
        List<OpsToolset> toolsets = new ArrayList<>();
        try {
            JsonNode effective = settings;
            if (sandbox) {
                for (String name : unique) {
                    ToolsetSandboxProvider simulated = sandboxProviders.get(name);
                    if (simulated != null) {
                        ToolsetSandbox started = simulated.start(sandboxDir.resolve(name));
                        sandboxes.add(started);
                        effective = configure(name, started, effective);
                    }
                }
            }
            List<McpFeatureContributor> enabled = new ArrayList<>();
            for (String name : unique) {
                OpsToolsetProvider provider = providers.get(name);
                if (provider != null) {
                    try {
                        toolsets.add(provider.create(effective, dataDir));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException("toolset " + name + ": " + e.getMessage());
                    }
                } else {
                    enabled.add(contributors.get(name));
                }
            }
            return new Enabled(toolsets, enabled, sandboxes);
        } catch (RuntimeException e) {
            toolsets.forEach(OpsToolset::close);
            sandboxes.forEach(ToolsetSandbox::close);
            throw e;
        }
    }

    /**
     * Lets the providers of {@code names} read what they ship ({@link OpsToolsetProvider#prepare()}: the hosts
     * command catalog, the prompts) on a daemon thread while this one starts the sandboxes and creates the toolsets:
     * from the last one back, so that the two threads meet in the middle instead of this one waiting for the
     * other on the first toolset it creates. {@code create} waits for a read under way and throws its failure
     * (which this thread drops), so nothing here changes what a start does or reports.
     */
    private void prepareAhead(List<String> names) {
        List<OpsToolsetProvider> lastFirst = new ArrayList<>();
        for (String name : names) {
            OpsToolsetProvider provider = providers.get(name);
            if (provider != null) {
                lastFirst.add(0, provider);
            }
        }
        Thread thread = new Thread(
                () -> {
                    for (OpsToolsetProvider provider : lastFirst) {
                        try {
                            provider.prepare();
                        } catch (RuntimeException e) {
                            // create() reports it; a provider's prepare must not fail the others'
                        }
                    }
                },
                "ops-mcp-toolset-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    private static JsonNode configure(String name, ToolsetSandbox sandbox, JsonNode settings) {
        try {
            return sandbox.configure(settings);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("toolset " + name + " (sandbox): " + e.getMessage());
        }
    }
}
