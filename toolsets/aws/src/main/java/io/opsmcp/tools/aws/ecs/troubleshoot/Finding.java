package io.opsmcp.tools.aws.ecs.troubleshoot;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * One finding of {@code ecs_troubleshoot}; {@code tool} and {@code arguments} are null when no tool of this toolset
 * fixes it, {@code why} says what the remediation does (or what to do by hand). {@code weight} orders findings of
 * one severity (more tasks, more errors first).
 */
public record Finding(
        Severity severity,
        String category,
        String title,
        List<String> evidence,
        String tool,
        ObjectNode arguments,
        String why,
        long weight) {

    /** Finding severities, most severe first. */
    public enum Severity {
        CRITICAL,
        HIGH,
        MEDIUM,
        LOW,
        INFO;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether this is at least as severe as {@code other}. */
        public boolean atLeast(Severity other) {
            return compareTo(other) <= 0;
        }
    }

    public Finding {
        evidence = List.copyOf(evidence);
    }
}
