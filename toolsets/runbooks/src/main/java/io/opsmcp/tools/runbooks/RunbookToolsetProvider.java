package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the always-on {@code runbooks} toolset. Reads
 * {@code runbooks: {directories: [PATH, …], reload_interval: 2s}}: directories of operator runbooks ({@code *.md}
 * with front matter) added to the shipped library, checked for changes every {@code reload_interval};
 * {@code ~/} means the home directory.
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
                new RunbookLoader(),
                directories(settings, Path.of(System.getProperty("user.home"))),
                reloadInterval(settings));
    }

    /** Default of {@code runbooks.reload_interval}: as often as the policy bundle directory is checked. */
    static final Duration DEFAULT_RELOAD = Duration.ofSeconds(2);

    /** {@code runbooks.reload_interval} that turns reloading off (the duration grammar has no zero). */
    static final String NEVER = "0s";

    /**
     * {@code runbooks:} as written, bound by {@link ConfigBinding} (unknown keys are errors).
     *
     * @param directories    directories of operator runbooks; {@code ~/} means the home directory
     * @param reloadInterval how often the directories are checked for changes, in the toolkit's duration grammar
     *                       ({@code 2s}, {@code 1m}); {@code 0s} never; default {@code 2s}; at most {@code 1h}
     */
    public record Settings(List<String> directories, String reloadInterval) {
        public Settings {
            if (reloadInterval != null && !NEVER.equals(reloadInterval.strip())) {
                Duration d = Durations.parse("reload_interval", reloadInterval);
                if (d.compareTo(Duration.ofHours(1)) > 0) {
                    throw new IllegalArgumentException(
                            "reload_interval: must be 0s (never) up to 1h, not " + reloadInterval);
                }
            }
            directories = directories == null ? List.of() : List.copyOf(directories);
            for (int i = 0; i < directories.size(); i++) {
                String d = directories.get(i);
                if (d == null || d.isBlank() || d.contains("\0")) {
                    throw new IllegalArgumentException("directories[" + i + "]: must be a path");
                }
            }
        }
    }

    static Duration reloadInterval(JsonNode settings) {
        Settings section = bind(settings);
        if (section.reloadInterval() == null) {
            return DEFAULT_RELOAD;
        }
        return NEVER.equals(section.reloadInterval().strip())
                ? Duration.ZERO
                : Durations.parse("runbooks.reload_interval", section.reloadInterval());
    }

    private static Settings bind(JsonNode settings) {
        return ConfigBinding.bind(settings == null ? null : settings.get("runbooks"), "runbooks", Settings.class);
    }

    static List<Path> directories(JsonNode settings, Path home) {
        Settings section = bind(settings);
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
