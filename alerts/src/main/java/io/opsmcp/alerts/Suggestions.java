package io.opsmcp.alerts;

import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The first diagnostic calls for an alert, by the kind of its resource: an ECS service → {@code ecs_troubleshoot}
 * then {@code ops_deployment_origin} (which commit and pipeline is running); a host → {@code host_uptime_load}
 * then {@code host_journal}; a GitLab project's failed pipeline → {@code gitlab_pipeline_failure_analysis}; a
 * CloudWatch alarm on anything else → {@code cloudwatch_alarm_history}. Whether the caller may run them is the
 * policy's to say when they are called.
 */
final class Suggestions {

    private Suggestions() {}

    static ArrayNode forAlert(Alert a) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        AlertResource r = a.resource();
        if (r == null) {
            return out;
        }
        Map<String, String> ids = r.ids();
        switch (r.kind()) {
            case "ecs:service" -> {
                ObjectNode args = JsonNodeFactory.instance.objectNode();
                if (ids.containsKey("account")) {
                    args.put("account", ids.get("account"));
                }
                if (ids.containsKey("region")) {
                    args.put("region", ids.get("region"));
                }
                args.put("cluster", ids.get("cluster"));
                args.put("service", ids.get("service"));
                add(out, "ecs_troubleshoot", args, "find why the service is unhealthy (stopped tasks, OOM, health)");
                add(
                        out,
                        "ops_deployment_origin",
                        args.deepCopy(),
                        "which commit, pipeline and merge request is running");
            }
            case "host" -> {
                add(
                        out,
                        "host_uptime_load",
                        JsonNodeFactory.instance.objectNode().put("host", r.name()),
                        "load and uptime of the host");
                add(
                        out,
                        "host_journal",
                        JsonNodeFactory.instance.objectNode().put("host", r.name()),
                        "recent system log of the host");
            }
            case "gitlab:project" -> {
                ObjectNode args = JsonNodeFactory.instance.objectNode().put("project", r.name());
                String pipeline = a.labels().get("pipeline_id");
                if (pipeline != null && pipeline.matches("^[0-9]{1,18}$")) {
                    args.put("pipeline_id", Long.parseLong(pipeline));
                }
                add(out, "gitlab_pipeline_failure_analysis", args, "why the pipeline failed");
            }
            default -> {
                ObjectNode args = JsonNodeFactory.instance.objectNode().put("alarm_name", r.name());
                if (ids.containsKey("region")) {
                    args.put("region", ids.get("region"));
                }
                add(out, "cloudwatch_alarm_history", args, "the alarm's state changes and reasons");
            }
        }
        return out;
    }

    private static void add(ArrayNode out, String tool, ObjectNode arguments, String why) {
        ObjectNode s = out.addObject();
        s.put("tool", tool);
        s.set("arguments", arguments);
        s.put("why", why);
    }
}
