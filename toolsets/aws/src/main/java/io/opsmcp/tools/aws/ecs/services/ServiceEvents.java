package io.opsmcp.tools.aws.ecs.services;

import io.opsmcp.tools.aws.common.Text;
import java.util.List;
import java.util.Locale;

/**
 * Classification of ECS service event messages by the wording documented in the Amazon ECS Developer Guide
 * ("Viewing Amazon ECS service event messages").
 */
public final class ServiceEvents {

    private ServiceEvents() {}

    /** Classes of service event messages. */
    public enum EventClass {
        STEADY_STATE,
        CANNOT_PLACE,
        LAUNCH_FAILED,
        UNHEALTHY_TARGET,
        CONTAINER_HEALTH_FAILED,
        DEPLOYMENT_FAILED,
        ROLLED_BACK,
        DEPLOYMENT_COMPLETED,
        TASKS_STARTED,
        TASKS_STOPPED,
        TARGETS_REGISTERED,
        TARGETS_DEREGISTERED,
        OTHER;

        /** The wire name ({@code cannot_place}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean steady() {
            return this == STEADY_STATE || this == DEPLOYMENT_COMPLETED;
        }
    }

    /**
     * A classified event; {@code reason} is set for CANNOT_PLACE (memory, cpu, ports, eni, capacity, attribute,
     * other) and LAUNCH_FAILED (iam_role, other).
     */
    public record Classified(EventClass type, String reason) {}

    /** Classifies one service event message by its words and phrases ({@link Text#words}), never substrings. */
    public static Classified classify(String message) {
        List<String> w = Text.words(message);
        if (Text.phrase(w, "has reached a steady state")) {
            return new Classified(EventClass.STEADY_STATE, null);
        }
        if (Text.phrase(w, "unable to place a task", "unable to place tasks")) {
            String reason;
            if (Text.phrase(w, "insufficient memory")) {
                reason = "memory";
            } else if (Text.phrase(w, "insufficient cpu")) {
                reason = "cpu";
            } else if (Text.phrase(w, "using a port", "port required", "ports required")) {
                reason = "ports";
            } else if (w.contains("eni")
                    || w.contains("enis")
                    || Text.phrase(
                            w,
                            "network interface",
                            "elastic network interface",
                            "free addresses",
                            "ip address",
                            "ip addresses")) {
                reason = "eni";
            } else if (Text.phrase(w, "missing an attribute", "placement constraint")) {
                reason = "attribute";
            } else if (w.contains("capacity") || Text.phrase(w, "no container instances", "no container instance")) {
                reason = "capacity";
            } else {
                reason = "other";
            }
            return new Classified(EventClass.CANNOT_PLACE, reason);
        }
        if (Text.phrase(w, "failed to launch a task", "failed to launch tasks")) {
            return new Classified(
                    EventClass.LAUNCH_FAILED,
                    Text.phrase(w, "unable to assume the role", "unable to assume role") ? "iam_role" : "other");
        }
        if (Text.phrase(w, "is unhealthy in", "failed elb health checks")) {
            return new Classified(EventClass.UNHEALTHY_TARGET, null);
        }
        if (Text.phrase(w, "failed container health checks")) {
            return new Classified(EventClass.CONTAINER_HEALTH_FAILED, null);
        }
        if (Text.phrase(w, "rolling back", "rolled back") || w.contains("rollback")) {
            return new Classified(EventClass.ROLLED_BACK, null);
        }
        if (Text.phrase(w, "deployment failed")) {
            return new Classified(EventClass.DEPLOYMENT_FAILED, null);
        }
        if (Text.phrase(w, "deployment completed")) {
            return new Classified(EventClass.DEPLOYMENT_COMPLETED, null);
        }
        if (Text.phrase(w, "has started")) {
            return new Classified(EventClass.TASKS_STARTED, null);
        }
        if (Text.phrase(w, "has stopped")) {
            return new Classified(EventClass.TASKS_STOPPED, null);
        }
        if (w.contains("deregistered")) {
            return new Classified(EventClass.TARGETS_DEREGISTERED, null);
        }
        if (w.contains("registered")) {
            return new Classified(EventClass.TARGETS_REGISTERED, null);
        }
        return new Classified(EventClass.OTHER, null);
    }
}
