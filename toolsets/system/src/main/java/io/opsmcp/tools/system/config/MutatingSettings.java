package io.opsmcp.tools.system.config;

import io.opsmcp.toolkit.config.ConfigBinding;
import java.time.Duration;
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
     * {@code host_changes:} as written, bound by {@link ConfigBinding} (unknown keys are errors).
     *
     * @param sudo see {@link MutatingSettings#sudo()}; absent means {@code false}
     * @param exec the {@code exec:} mapping; absent means no {@code host_exec}
     * @param accounts the {@code accounts:} mapping of the account tools ({@link AccountSettings})
     */
    public record Section(Boolean sudo, Exec exec, AccountSettings.Section accounts) {}

    /**
     * {@code host_changes.exec:}.
     *
     * @param enabled        whether {@code host_exec} exists; absent means {@code false}
     * @param timeoutSeconds 1..3600, default 60
     * @param maxOutputBytes 1024..16777216, default 262144
     */
    public record Exec(Boolean enabled, Integer timeoutSeconds, Integer maxOutputBytes) {
        public Exec {
            if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 3600)) {
                throw new IllegalArgumentException("timeout_seconds: must be a whole number 1..3600");
            }
            if (maxOutputBytes != null && (maxOutputBytes < 1024 || maxOutputBytes > 16 << 20)) {
                throw new IllegalArgumentException("max_output_bytes: must be a whole number 1024.." + (16 << 20));
            }
        }
    }

    /**
     * Reads {@code host_changes: {sudo: false, exec: {enabled: false, timeout_seconds: 60, max_output_bytes: 262144}}}.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks, e.g.
     *                                  {@code host_changes.exec.timout_seconds: unknown setting; valid: enabled,
     *                                  max_output_bytes, timeout_seconds}
     */
    public static MutatingSettings parse(JsonNode settings) {
        Section section = ConfigBinding.bind(
                settings == null ? null : settings.get("host_changes"), "host_changes", Section.class);
        boolean sudo = Boolean.TRUE.equals(section.sudo());
        Exec exec = section.exec();
        if (exec == null) {
            return new MutatingSettings(sudo, false, DEFAULT.execTimeout(), DEFAULT.execMaxOutput());
        }
        return new MutatingSettings(
                sudo,
                Boolean.TRUE.equals(exec.enabled()),
                exec.timeoutSeconds() == null ? DEFAULT.execTimeout() : Duration.ofSeconds(exec.timeoutSeconds()),
                exec.maxOutputBytes() == null ? DEFAULT.execMaxOutput() : exec.maxOutputBytes());
    }
}
