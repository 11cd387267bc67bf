package io.opsmcp.tools.system.runbooks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
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

    @Override public java.util.Set<String> settingsSections() { return java.util.Set.of("runbooks"); }

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
        return new RunbookToolset(new RunbookLoader().load(directories(settings,
                Path.of(System.getProperty("user.home")))));
    }

    static List<Path> directories(JsonNode settings, Path home) {
        JsonNode section = settings == null ? null : settings.get("runbooks");
        if (section == null || section.isNull()) {
            return List.of();
        }
        if (!section.isObject()) {
            throw new IllegalArgumentException("runbooks: must be a mapping with directories: [PATH, ...]");
        }
        for (String key : section.propertyNames()) {
            if (!key.equals("directories")) {
                throw new IllegalArgumentException("runbooks." + key + ": unknown setting; allowed: [directories]");
            }
        }
        JsonNode dirs = section.get("directories");
        if (dirs == null || dirs.isNull()) {
            return List.of();
        }
        if (!dirs.isArray()) {
            throw new IllegalArgumentException("runbooks.directories: must be a list of directory paths");
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            JsonNode d = dirs.get(i);
            if (!d.isString() || d.asString().isBlank() || d.asString().contains("\0")) {
                throw new IllegalArgumentException("runbooks.directories[" + i + "]: must be a path");
            }
            String v = d.asString().strip();
            out.add(v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v).toAbsolutePath());
        }
        return out;
    }
}
