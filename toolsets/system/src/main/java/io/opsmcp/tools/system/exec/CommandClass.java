package io.opsmcp.tools.system.exec;

import java.util.Locale;
import java.util.Map;

/**
 * How much scrutiny a shell command needs, least to most severe: the policy fact {@code host_exec} derives from its
 * {@code command} argument ({@link CommandClassifier}). The policy reads it as {@code input.facts.command_class} and
 * compares it with {@code data.opsmcp.destructive.command_classes}.
 */
public enum CommandClass {
    READ,
    WRITE,
    DESTRUCTIVE;

    /** The key of the fact in the action descriptor's facts and in the policy input's {@code facts}. */
    public static final String POLICY_FACT = "command_class";

    /** The wire value: {@code read}, {@code write} or {@code destructive}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This class as the policy fact of the action descriptor ({@code ActionDescriptor.facts()}). */
    public Map<String, String> asPolicyFact() {
        return Map.of(POLICY_FACT, wireName());
    }
}
