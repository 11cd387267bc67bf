package io.opsmcp.tools.system.config;

import java.time.Duration;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The {@code host_changes:} section of the configuration: how the mutating host tools run.
 *
 * @param sudo           prefix service control and {@code host_exec} with {@code sudo -n} (the remote user needs a
 *                       NOPASSWD sudoers rule for exactly those commands)
 * @param execEnabled    whether {@code host_exec} (an arbitrary command, always destructive for the policy) exists
 * @param execTimeout    how long one {@code host_exec} command may run
 * @param execMaxOutput  standard output kept of one {@code host_exec} command
 */
public record MutatingSettings(boolean sudo, boolean execEnabled, Duration execTimeout, int execMaxOutput) {

    /** No sudo, no {@code host_exec}. */
    public static final MutatingSettings DEFAULT = new MutatingSettings(false, false, Duration.ofSeconds(60), 262_144);

    /**
     * Reads {@code host_changes: {sudo: false, exec: {enabled: false, timeout_seconds: 60, max_output_bytes: 262144}}}.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public static MutatingSettings parse(JsonNode settings) {
        JsonNode section = settings == null ? null : settings.get("host_changes");
        if (section == null || section.isNull()) {
            return DEFAULT;
        }
        if (!section.isObject()) {
            throw new IllegalArgumentException("host_changes: must be a mapping (sudo, exec)");
        }
        only(section, "host_changes", Set.of("sudo", "exec"));
        boolean sudo = bool(section.get("sudo"), "host_changes.sudo");
        JsonNode exec = section.get("exec");
        if (exec == null || exec.isNull()) {
            return new MutatingSettings(sudo, false, DEFAULT.execTimeout(), DEFAULT.execMaxOutput());
        }
        if (!exec.isObject()) {
            throw new IllegalArgumentException("host_changes.exec: must be a mapping (enabled, timeout_seconds, "
                    + "max_output_bytes)");
        }
        only(exec, "host_changes.exec", Set.of("enabled", "timeout_seconds", "max_output_bytes"));
        return new MutatingSettings(sudo, bool(exec.get("enabled"), "host_changes.exec.enabled"),
                Duration.ofSeconds(number(exec.get("timeout_seconds"), "host_changes.exec.timeout_seconds", 60, 1, 3600)),
                (int) number(exec.get("max_output_bytes"), "host_changes.exec.max_output_bytes", 262_144, 1024, 16 << 20));
    }

    private static void only(JsonNode node, String at, Set<String> allowed) {
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(at + "." + key + ": unknown setting; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static boolean bool(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(at + ": must be true or false");
        }
        return node.booleanValue();
    }

    private static long number(JsonNode node, String at, long fallback, long min, long max) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || node.longValue() < min || node.longValue() > max) {
            throw new IllegalArgumentException(at + ": must be a whole number " + min + ".." + max);
        }
        return node.longValue();
    }
}
