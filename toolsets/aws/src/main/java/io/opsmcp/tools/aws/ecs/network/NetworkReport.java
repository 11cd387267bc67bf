package io.opsmcp.tools.aws.ecs.network;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * The network picture of a service: the issues found, typed (what {@code ecs_troubleshoot} reads), and the details
 * as {@code ecs_network} returns them (subnets, security groups, port ingress, target groups, egress), which no other
 * tool reads.
 */
public record NetworkReport(List<Issue> issues, ObjectNode details) {

    /** How bad an issue is. */
    public enum Severity {
        HIGH,
        MEDIUM;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What an issue is about: {@code LB_INGRESS}, no security group lets the load balancer reach the container port;
     * {@code EGRESS}, the subnets have no way to the registries and AWS endpoints the tasks need; {@code CONFIG},
     * anything else (subnets short of addresses, target group mismatches).
     */
    public enum Kind {
        CONFIG,
        LB_INGRESS,
        EGRESS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One issue, with a message that says what to fix. */
    public record Issue(Severity severity, Kind kind, String message) {}

    public NetworkReport {
        issues = List.copyOf(issues);
    }

    /** The issues of one kind. */
    public List<Issue> issues(Kind kind) {
        return issues.stream().filter(i -> i.kind() == kind).toList();
    }

    /** The structured content of {@code ecs_network}. */
    public ObjectNode toJson() {
        return details.deepCopy();
    }
}
