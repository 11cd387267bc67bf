package io.opsmcp.alerts;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.resource.Visibility;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code alerts} toolset (on when {@code alerts:} configures a receiver): tools {@code alerts_list} and
 * {@code alert_get}, resources {@code ops://alerts/active} and {@code ops://alerts/{id}}, prompt
 * {@code respond_to_alert}. An alert is shown to a caller only when the policy lets that caller read the resource it
 * maps to ({@link AlertResource#descriptor()}); one that maps to nothing is a read of provider {@code local}, kind
 * {@code alert} (roles whose views list {@code alert}). {@code alert_get} and the per-alert resource are decided on
 * the alert's resource itself; the list and {@code ops://alerts/active} (kind {@code alert_list}, unscoped) leave out
 * each alert the caller may not read.
 */
public final class AlertsToolset implements OpsToolset {

    /** URI of the active (firing) alerts. */
    public static final String ACTIVE = "ops://alerts/active";

    /** Changes this long before an alert started count as recent changes in {@code alert_get}. */
    static final Duration CHANGES_BEFORE = Duration.ofHours(2);

    private static final int MAX_LISTED = 200;

    private static final ArgSpec<String> STATUS = ArgSpec.oneOf("status", "firing", "resolved", "all")
            .defaultValue("firing")
            .description("Which alerts; default firing.");
    private static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit")
            .range(1, MAX_LISTED)
            .defaultValue(50)
            .description("At most this many, most recently updated first.");
    private static final ArgSpec<String> ID = ArgSpec.string("id")
            .pattern(Ids.PATTERN)
            .description("Alert id (alt_…) from alerts_list or a notification.")
            .required();

    private final AlertService alerts;
    private final BiPredicate<Principal, ActionDescriptor> mayRead;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param mayRead whether the policy lets a principal read what an alert reveals (the server asks the guard, as
     *                for every resource read)
     */
    public AlertsToolset(AlertService alerts, BiPredicate<Principal, ActionDescriptor> mayRead) {
        this.alerts = alerts;
        this.mayRead = mayRead;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public String description() {
        return "Alerts from Alertmanager, CloudWatch (SNS) and GitLab pipelines, with the changes made since";
    }

    /** What seeing {@code alert} reveals to the policy. */
    public static ActionDescriptor reveals(Alert alert) {
        return alert.resource() != null
                ? alert.resource().descriptor()
                : ActionDescriptor.read("local", "alert", null, alert.id(), Map.of());
    }

    private static ActionDescriptor listing() {
        return ActionDescriptor.read("local", "alert_list", null, "alerts", Map.of());
    }

    @Override
    public List<OpsTool> tools() {
        return List.of(new ListTool(), new GetTool());
    }

    @Override
    public List<OpsResource> resources() {
        return List.of(new OpsResource() {
            @Override
            public Definition definition() {
                return new Definition(
                        ACTIVE,
                        "active-alerts",
                        "Active alerts",
                        "The firing alerts the caller may see, most recently updated first (JSON). Subscribe to be"
                                + " told when one fires or resolves.",
                        "application/json");
            }

            @Override
            public ActionDescriptor reveals() {
                return listing();
            }

            @Override
            public ResourceContent read(Principal principal) {
                return read(principal, r -> false);
            }

            @Override
            public ResourceContent read(Principal principal, Visibility visible) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                alerts.list(Alert.Status.FIRING, MAX_LISTED).stream()
                        .filter(a -> visible.mayRead(AlertsToolset.reveals(a)))
                        .forEach(a -> list.add(a.toJson()));
                return new ResourceContent(ACTIVE, "application/json", json.writeValueAsString(list));
            }
        });
    }

    @Override
    public List<OpsResourceTemplate> resourceTemplates() {
        return List.of(new OpsResourceTemplate() {
            @Override
            public Definition definition() {
                return new Definition(
                        "ops://alerts/{id}",
                        "alert",
                        "One alert",
                        "An alert with the changes made on its resource and a suggested first diagnostic (JSON).",
                        "application/json");
            }

            @Override
            public ResourceContent read(String uri, Map<String, String> variables, Principal principal) {
                return new ResourceContent(
                        uri, "application/json", json.writeValueAsString(detail(find(variables.get("id")))));
            }

            @Override
            public ActionDescriptor reveals(String uri, Map<String, String> variables) {
                return AlertsToolset.reveals(find(variables.get("id")));
            }
        });
    }

    @Override
    public List<OpsPrompt> prompts() {
        return List.of(new RespondPrompt());
    }

    private Alert find(String id) {
        if (!AlertService.isAlertId(id)) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "alert id must look like alt_ followed by 26 letters and digits");
        }
        return alerts.find(id)
                .orElseThrow(() -> new ToolException(ToolException.Kind.NOT_FOUND, "alert " + id + " does not exist"));
    }

    /** The alert, the changes on its resource since shortly before it started, and what to call first. */
    ObjectNode detail(Alert a) {
        ObjectNode out = a.toJson();
        ArrayNode changes = out.putArray("changes");
        alerts.changes().on(a.resource(), a.startsAt().minus(CHANGES_BEFORE)).forEach(c -> changes.add(c.toJson()));
        out.set("suggested", Suggestions.forAlert(a));
        return out;
    }

    private final class ListTool implements OpsTool {
        private final ToolDefinition definition = ToolSpec.tool("alerts_list")
                .title("List alerts")
                .description("Alerts received from Alertmanager, CloudWatch alarms (SNS) and GitLab pipelines that"
                        + " the caller may see: id, name, status, severity, resource, since when. Details and the"
                        + " changes made since: alert_get.")
                .args(STATUS, LIMIT)
                .output(listSchema())
                .annotations(new ToolAnnotations(true, false, true, false))
                .build();

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return listing();
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            String status = STATUS.read(args);
            Alert.Status filter = switch (status) {
                case "firing" -> Alert.Status.FIRING;
                case "resolved" -> Alert.Status.RESOLVED;
                default -> null;
            };
            int limit = LIMIT.read(args);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode list = out.putArray("alerts");
            StringBuilder text = new StringBuilder();
            for (Alert a : alerts.list(filter, MAX_LISTED)) {
                if (list.size() >= limit) {
                    break;
                }
                if (!mayRead.test(ctx.principal(), reveals(a))) {
                    continue;
                }
                ObjectNode row = list.addObject();
                row.put("id", a.id());
                row.put("name", a.name());
                row.put("status", a.status().wire());
                row.put("severity", a.severity());
                row.put("source", a.source().wire());
                row.put("resource", label(a));
                row.put("starts_at", a.startsAt().toString());
                row.put("summary", a.summary());
                text.append(a.id())
                        .append("  ")
                        .append(a.status().wire())
                        .append("  ")
                        .append(a.name())
                        .append("  ")
                        .append(label(a))
                        .append("  since ")
                        .append(a.startsAt())
                        .append('\n');
            }
            out.put("count", list.size());
            return ToolResult.ok(
                    list.isEmpty() ? "no " + (filter == null ? "" : status + " ") + "alerts" : text.toString(), out);
        }
    }

    private final class GetTool implements OpsTool {
        private final ToolDefinition definition = ToolSpec.tool("alert_get")
                .title("Get an alert")
                .description("One alert: labels, resource, status, the changes ops-mcp made on that resource since"
                        + " shortly before it started (from the audit log, with approvals and outcomes), and the"
                        + " suggested first diagnostic tool with its arguments.")
                .args(ID)
                .output(getSchema())
                .annotations(new ToolAnnotations(true, false, true, false))
                .build();

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        /** The alert's own resource: the policy decides on it as on any read of that resource. */
        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return reveals(find(ID.read(args)));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            Alert a = find(ID.read(args));
            ObjectNode out = detail(a);
            StringBuilder text = new StringBuilder();
            text.append(a.name())
                    .append(" [")
                    .append(a.status().wire())
                    .append("] on ")
                    .append(label(a))
                    .append(" since ")
                    .append(a.startsAt())
                    .append('\n');
            if (a.summary() != null) {
                text.append(a.summary()).append('\n');
            }
            text.append("changes since shortly before it started: ")
                    .append(out.path("changes").size())
                    .append('\n');
            out.path("changes")
                    .forEach(c -> text.append("  audit #")
                            .append(c.path("audit_seq").asLong())
                            .append(' ')
                            .append(c.path("tool").asString())
                            .append(" by ")
                            .append(c.path("principal").asString())
                            .append(" → ")
                            .append(c.path("outcome").asString("running"))
                            .append('\n'));
            var first = out.path("suggested").path(0);
            if (first.isObject()) {
                text.append("suggested first: ")
                        .append(first.path("tool").asString())
                        .append(' ')
                        .append(first.path("arguments"))
                        .append('\n');
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    /** {@code respond_to_alert(id)}: the steps of the loop for one alert, as the user's request to the model. */
    private final class RespondPrompt implements OpsPrompt {
        @Override
        public Definition definition() {
            return new Definition(
                    "respond_to_alert",
                    "Respond to an alert",
                    "Investigate one alert, propose the smallest fix, and verify it resolved",
                    List.of(new Argument("id", "alert id (alt_…) from alerts_list or a notification", true)));
        }

        @Override
        public List<Message> render(Map<String, String> arguments) {
            String id = arguments.get("id");
            if (!AlertService.isAlertId(id)) {
                throw new ToolException(
                        ToolException.Kind.INVALID_ARGUMENT,
                        "id: must be an alert id like alt_ and 26 letters and digits");
            }
            return List.of(new Message(
                    "user",
                    "Alert " + id + " needs a response.\n"
                            + "1. Call alert_get with {\"id\": \"" + id + "\"}: read its labels, its resource, the"
                            + " changes already made on that resource and the suggested first diagnostic.\n"
                            + "2. Run the suggested diagnostic (and, for an ECS service, ops_deployment_origin to see"
                            + " which commit and pipeline is running). Say what you found before changing anything.\n"
                            + "3. If a change made recently caused it, prefer undoing that change. Otherwise propose"
                            + " the smallest fix, preview it with dry_run: true, and apply it; in a protected"
                            + " environment it is held for approval: give the approval id to a human and wait.\n"
                            + "4. Do not retry a fix the policy denied (a circuit breaker or freeze is deliberate).\n"
                            + "5. Verify: read ops://alerts/" + id + " (or subscribe to it) until it shows resolved,"
                            + " and summarise what was done with the audit sequence numbers of the changes."));
        }

        @Override
        public List<String> complete(String argument, String prefix) {
            return List.of();
        }
    }

    /** {@code ecs:service shop/checkout (sandbox, eu-west-1)}, {@code host web-1}, … */
    static String label(Alert a) {
        AlertResource r = a.resource();
        if (r == null) {
            return "(no mapped resource)";
        }
        Map<String, String> ids = new LinkedHashMap<>(r.ids());
        String where = ids.containsKey("cluster") ? ids.get("cluster") + "/" + r.name() : r.name();
        String scope = String.join(
                ", ",
                java.util.stream.Stream.of(
                                ids.getOrDefault("account", ids.get("account_id")),
                                ids.get("region"),
                                ids.get("host_group"))
                        .filter(java.util.Objects::nonNull)
                        .toList());
        return r.kind() + " " + where + (scope.isEmpty() ? "" : " (" + scope + ")");
    }

    private static ObjectNode listSchema() {
        ObjectNode row = JsonSchemas.properties();
        for (String f : List.of("id", "name", "status", "severity", "source", "resource", "starts_at", "summary")) {
            row.set(f, JsonSchemas.type("string", f.replace('_', ' ')));
        }
        ObjectNode p = JsonSchemas.properties();
        ObjectNode items = JsonNodeFactory.instance.objectNode().put("type", "object");
        items.set("properties", row);
        p.set(
                "alerts",
                JsonNodeFactory.instance.objectNode().put("type", "array").set("items", items));
        p.set("count", JsonSchemas.type("integer", "how many are listed"));
        return JsonSchemas.output(p, "alerts", "count");
    }

    private static ObjectNode getSchema() {
        ObjectNode p = JsonSchemas.properties();
        for (String f : List.of("id", "uri", "fingerprint", "source", "name", "status", "starts_at", "updated_at")) {
            p.set(f, JsonSchemas.type("string", f.replace('_', ' ')));
        }
        p.set("labels", JsonNodeFactory.instance.objectNode().put("type", "object"));
        p.set(
                "resource",
                JsonNodeFactory.instance.objectNode().put("description", "provider, kind, name, ids; or null"));
        p.set(
                "changes",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("type", "array")
                        .put("description", "audit_seq, time, principal, tool, approval_id, approvers, outcome"));
        p.set(
                "linked_changes",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("type", "array")
                        .put(
                                "description",
                                "audit sequence numbers of the changes made while it fired (set when it resolves)"));
        p.set(
                "suggested",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("type", "array")
                        .put("description", "tool and arguments to call, first the first diagnostic"));
        return JsonSchemas.output(p, "id", "name", "status", "changes", "suggested");
    }
}
