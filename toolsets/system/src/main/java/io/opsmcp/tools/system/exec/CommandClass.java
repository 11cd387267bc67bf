package io.opsmcp.tools.system.exec;

import java.util.Locale;
import java.util.Map;

/**
 * How much scrutiny a shell command needs, least to most severe: the policy fact {@code host_exec} derives from its
 * {@code command} argument ({@link CommandClassifier}). The policy reads it as {@code input.args.command_class} and
 * compares it with {@code data.opsmcp.destructive.command_classes}.
 */
public enum CommandClass {
    READ, WRITE, DESTRUCTIVE;

    /** The key of the fact in the action descriptor and in the policy input's {@code args}. */
    public static final String POLICY_FACT = "command_class";

    /** The wire value: {@code read}, {@code write} or {@code destructive}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * This class as the descriptor entry the guard hands to the policy. It is the one place that names the fact, so
     * that moving it to a typed fact of {@code ActionDescriptor} (issue 12) changes one line.
     */
    public Map<String, String> asPolicyFact() {
        return Map.of(POLICY_FACT, wireName());
    }
}
