package io.opsmcp.tools.aws.ecs.troubleshoot;

import io.opsmcp.tools.aws.common.AccountRegion;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code ecs_troubleshoot} found: the service's verdict ({@code unknown} when its health could not be read),
 * each check's outcome ({@code ok} or {@code failed: reason}) and the findings, ranked.
 */
public record Troubleshooting(
        AccountRegion where,
        String cluster,
        String service,
        String verdict,
        String taskDefinition,
        String deploymentController,
        Map<String, String> checks,
        List<Finding> findings) {

    public Troubleshooting {
        findings = List.copyOf(findings);
    }

    /** The top finding in one line. */
    public String summary() {
        Finding top = findings.isEmpty() ? null : findings.get(0);
        return top == null ? "no findings" : top.severity().wire() + ": " + top.title();
    }

    /** The structured content of {@code ecs_troubleshoot}. */
    public ObjectNode toJson() {
        ObjectNode out = where.json();
        out.put("cluster", cluster);
        out.put("service", service);
        out.put("verdict", verdict);
        out.put("task_definition", taskDefinition);
        out.put("deployment_controller", deploymentController);
        ObjectNode checkNode = out.putObject("checks");
        checks.forEach(checkNode::put);
        ArrayNode arr = out.putArray("findings");
        int rank = 1;
        for (Finding f : findings) {
            ObjectNode n = arr.addObject();
            n.put("rank", rank++);
            n.put("severity", f.severity().wire());
            n.put("category", f.category());
            n.put("title", f.title());
            ArrayNode ev = n.putArray("evidence");
            f.evidence().forEach(ev::add);
            if (f.tool() == null && f.why() == null) {
                n.putNull("remediation");
            } else {
                ObjectNode r = n.putObject("remediation");
                r.put("tool", f.tool());
                if (f.arguments() == null) {
                    r.putNull("arguments");
                } else {
                    r.set("arguments", f.arguments());
                }
                r.put("why", f.why());
            }
        }
        out.put("summary", summary());
        return out;
    }

    /** Renders the structured content of {@code ecs_troubleshoot} as text. */
    public static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append("troubleshooting service ")
                .append(o.get("service").asString())
                .append(" in cluster ")
                .append(o.get("cluster").asString())
                .append(" (")
                .append(o.get("account").asString())
                .append(", ")
                .append(o.get("region").asString())
                .append("): verdict ")
                .append(o.get("verdict").asString())
                .append(", task definition ")
                .append(o.get("task_definition").asString())
                .append('\n');
        for (JsonNode f : o.get("findings")) {
            sb.append('\n')
                    .append(f.get("rank").asInt())
                    .append(". [")
                    .append(f.get("severity").asString().toUpperCase(Locale.ROOT))
                    .append("] ")
                    .append(f.get("title").asString())
                    .append(" (")
                    .append(f.get("category").asString())
                    .append(")\n");
            for (JsonNode e : f.get("evidence")) {
                sb.append("   - ").append(e.asString()).append('\n');
            }
            JsonNode r = f.get("remediation");
            if (r != null && !r.isNull()) {
                if (r.hasNonNull("tool")) {
                    sb.append("   => ")
                            .append(r.get("tool").asString())
                            .append(' ')
                            .append(r.get("arguments"))
                            .append('\n');
                }
                if (r.hasNonNull("why")) {
                    sb.append("      ").append(r.get("why").asString()).append('\n');
                }
            }
        }
        o.get("checks").properties().forEach(e -> {
            if (!"ok".equals(e.getValue().asString())) {
                sb.append("\ncheck ")
                        .append(e.getKey())
                        .append(": ")
                        .append(e.getValue().asString());
            }
        });
        return sb.toString();
    }
}
