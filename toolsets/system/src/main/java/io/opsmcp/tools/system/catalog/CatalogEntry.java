package io.opsmcp.tools.system.catalog;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One command of the host command catalog, published as the MCP tool {@code host_NAME}.
 *
 * @param name           {@value #NAME_PATTERN}; the tool is {@code host_} + name
 * @param title          short human title
 * @param description    what it shows and when to use it, for the model
 * @param argv           the argument vector template: fixed words with {@code ${param}} placeholders; an element
 *                       naming an optional parameter that was not given (and has no default) is left out
 * @param parameters     the typed parameters, in the order the schema lists them
 * @param readOnly       whether the command only reads
 * @param destructive    whether a mutating command may destroy or stop something
 * @param timeout        how long the command may run before it is ended on the host
 * @param maxOutputBytes standard output kept; the rest is counted and dropped
 * @param output         how standard output is interpreted
 */
public record CatalogEntry(
        String name,
        String title,
        String description,
        List<String> argv,
        List<CatalogParameter> parameters,
        boolean readOnly,
        boolean destructive,
        Duration timeout,
        int maxOutputBytes,
        OutputFormat output) {

    public static final String NAME_PATTERN = "^[a-z][a-z0-9_]{0,58}$";
    /** {@code ${name}} in an argv element. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** How the standard output of a command is read. */
    public enum OutputFormat {
        /** As text only. */
        TEXT,
        /** {@code key=value} lines, also returned as an object. */
        KEY_VALUE,
        /** {@code openssl x509 -enddate -subject -issuer} lines: key/value plus {@code not_after} and {@code days_left}. */
        CERTIFICATE
    }

    public CatalogEntry {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(output, "output");
    }

    public String toolName() {
        return "host_" + name;
    }

    /** Names used by {@code ${…}} in one argv element. */
    static List<String> placeholders(String element) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(element);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Validates the arguments of one call (every parameter, and no unknown argument other than {@code host}).
     *
     * @return parameter name to argv text; absent optional parameters without a default are not in the map
     * @throws ToolException INVALID_ARGUMENT naming the argument and the rule, FORBIDDEN for a path outside the
     *                       allowlist
     */
    public Map<String, String> bind(ObjectNode args) {
        if (args != null) {
            for (String key : args.propertyNames()) {
                if (!key.equals("host")
                        && parameters.stream().noneMatch(p -> p.name().equals(key))) {
                    throw new ToolException(
                            Kind.INVALID_ARGUMENT,
                            key + ": unknown argument; " + toolName() + " takes host"
                                    + parameters.stream()
                                            .map(p -> ", " + p.name())
                                            .reduce("", String::concat));
                }
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (CatalogParameter p : parameters) {
            JsonNode node = args == null ? null : args.get(p.name());
            String value = p.bind(node);
            if (value != null) {
                values.put(p.name(), value);
            }
        }
        return values;
    }

    /** The command for bound values (see {@link #bind}). */
    public RemoteCommand render(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String element : argv) {
            List<String> names = placeholders(element);
            if (names.stream().anyMatch(n -> !values.containsKey(n))) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(element);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return new RemoteCommand(out);
    }
}
