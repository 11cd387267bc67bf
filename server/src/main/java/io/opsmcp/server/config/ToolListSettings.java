package io.opsmcp.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What of the enabled toolsets' tools is published ({@code tools:} in {@code ops-mcp.yaml}, or the flags
 * {@code --read-only}, {@code --tools-include}, {@code --tools-exclude}, {@code --tool-discovery} of {@code serve}).
 * A tool left out is not in {@code tools/list} and a call to it is refused as an unknown tool.
 *
 * @param readOnly  publish only tools whose {@code readOnlyHint} is true
 * @param include   name patterns a tool must match one of ({@code *} matches any run of characters); {@code null}
 *                  means every tool
 * @param exclude   name patterns that remove a tool, applied after {@code include}
 * @param discovery discovery mode: {@code tools/list} starts with {@code toolsets_list} and {@code toolset_enable}
 *                  (plus the tools of {@code alwaysOn}); each session adds toolsets as it needs them
 * @param alwaysOn  toolsets whose tools every session sees from the start in discovery mode
 */
public record ToolListSettings(
        boolean readOnly, List<String> include, List<String> exclude, boolean discovery, List<String> alwaysOn) {

    /** Every tool, no discovery mode. */
    public static final ToolListSettings ALL = new ToolListSettings(false, null, List.of(), false, List.of());

    /** Tool names are {@code ^[a-z][a-z0-9_]{0,63}$}; a pattern may hold only those characters and {@code *}. */
    private static final Pattern PATTERN = Pattern.compile("^[a-z0-9_*]{1,64}$");

    public ToolListSettings {
        // Not List.copyOf: a null entry (an empty YAML item) must reach validate() and be named there.
        include = include == null ? null : Collections.unmodifiableList(new ArrayList<>(include));
        exclude = Collections.unmodifiableList(new ArrayList<>(exclude));
        alwaysOn = Collections.unmodifiableList(new ArrayList<>(alwaysOn));
    }

    /**
     * Checks every pattern's characters.
     *
     * @throws ConfigException naming the field and the index of the first bad pattern
     */
    public ToolListSettings validate() {
        check("tools.include", include == null ? List.of() : include);
        check("tools.exclude", exclude);
        return this;
    }

    /** Whether any tool can be left out: read-only mode, an include list or an exclude list. */
    public boolean filters() {
        return readOnly || include != null || !exclude.isEmpty();
    }

    private static void check(String field, List<String> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p == null || !PATTERN.matcher(p).matches()) {
                throw new ConfigException(field + "[" + i + "]: '" + p + "' is not a tool name pattern: use 1 to 64"
                        + " lower-case letters, digits, _ and * (any run of characters), e.g. ecs_* or host_service_*");
            }
        }
    }

    /** Whether {@code name} matches the glob {@code pattern} ({@code *} = any run of characters, else literal). */
    public static boolean matches(String pattern, String name) {
        return io.opsmcp.toolkit.Globs.matches(pattern, name);
    }
}
