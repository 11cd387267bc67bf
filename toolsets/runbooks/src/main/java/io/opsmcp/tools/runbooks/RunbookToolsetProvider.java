package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the always-on {@code runbooks} toolset. Reads
 * {@code runbooks: {directories: [PATH, …]}}: directories of operator runbooks ({@code *.md} with front matter)
 * added to the shipped library; {@code ~/} means the home directory.
 */
public final class RunbookToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "runbooks";
    static final String DESCRIPTION = "Operations runbooks: full-text search (runbook_search) and runbook:// resources";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settingsSections() {
        return Set.of("runbooks");
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public boolean alwaysEnabled() {
        return true;
    }

    /**
     * @throws IllegalArgumentException naming the setting or file, e.g. {@code runbooks.directories[0]: must be a
     *                                  path} or {@code FILE: id '…' must match …}
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        return new RunbookToolset(
                new RunbookLoader().load(directories(settings, Path.of(System.getProperty("user.home")))));
    }

    /**
     * {@code runbooks:} as written, bound by {@link ConfigBinding} (unknown keys are errors).
     *
     * @param directories directories of operator runbooks; {@code ~/} means the home directory
     */
    public record Settings(List<String> directories) {
        public Settings {
            directories = directories == null ? List.of() : List.copyOf(directories);
            for (int i = 0; i < directories.size(); i++) {
                String d = directories.get(i);
                if (d == null || d.isBlank() || d.contains("\0")) {
                    throw new IllegalArgumentException("directories[" + i + "]: must be a path");
                }
            }
        }
    }

    static List<Path> directories(JsonNode settings, Path home) {
        Settings section =
                ConfigBinding.bind(settings == null ? null : settings.get("runbooks"), "runbooks", Settings.class);
        List<Path> out = new ArrayList<>();
        for (String d : section.directories()) {
            String v = d.strip();
            out.add(
                    v.startsWith("~/")
                            ? home.resolve(v.substring(2))
                            : Path.of(v).toAbsolutePath());
        }
        return out;
    }
}
