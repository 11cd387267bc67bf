package io.opsmcp.guard.policy;

import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.resource.Visibility;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.gateway.ToolGateway;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guard's own toolset ({@code guard}, always on): the read-only tool {@code approval_status} and the
 * resources {@code ops://approvals/pending}, {@code ops://approvals/{id}}, {@code ops://audit/recent},
 * {@code ops://environments} (the environment model from the policy data and what the caller may do in each),
 * {@code ops://policy/bundle} (the active policy) and {@code ops://tools/catalog} (every tool with its risk), so
 * a client can follow an approval, see the rules it works under and summarise what happened.
 */
public final class GuardToolset implements OpsToolset {

    private static final int RECENT = 100;

    private final ApprovalService approvals;
    private final AuditStore audit;
    private final PolicyEngine policy;
    private final List<OpsToolset> catalogued;
    private final JsonMapper json;

    /**
     * @param catalogued the other toolsets the gateway serves, listed in {@code ops://tools/catalog} before this
     *                   one's own tools (the gateway's order)
     */
    public GuardToolset(
            ApprovalService approvals,
            AuditStore audit,
            PolicyEngine policy,
            List<OpsToolset> catalogued,
            JsonMapper json) {
        this.approvals = approvals;
        this.audit = audit;
        this.policy = policy;
        this.catalogued = List.copyOf(catalogued);
        this.json = json;
    }

    @Override
    public String name() {
        return "guard";
    }

    @Override
    public String description() {
        return "Approval status and the audit trail (always on)";
    }

    @Override
    public List<OpsTool> tools() {
        return List.of(new ApprovalStatus());
    }

    @Override
    public List<OpsResource> resources() {
        return List.of(
                resource(
                        "ops://approvals/pending",
                        "pending-approvals",
                        "Pending approvals",
                        "Approval requests waiting for a human that the caller may see, newest first (JSON).",
                        approvalDescriptor("pending", null),
                        (p, visible) -> pendingJson(visible)),
                resource(
                        "ops://audit/recent",
                        "recent-audit",
                        "Recent audit records",
                        "The last " + RECENT + " audit records (JSON lines, oldest first): who called which tool on"
                                + " which resource, the policy decision, approvals and outcome.",
                        ActionDescriptor.read("local", "audit_log", null, "recent", Map.of()),
                        (p, v) -> recentAudit()),
                resource(
                        "ops://environments",
                        "environments",
                        "Environments",
                        "The environment model of the active policy (which AWS accounts, GitLab projects and host"
                                + " groups belong to dev, staging, prod; approval rules) and what the caller's roles"
                                + " allow in each (JSON).",
                        ActionDescriptor.read("local", "environments", null, "environments", Map.of()),
                        (p, v) -> environments(p)),
                resource(
                        "ops://policy/bundle",
                        "policy-bundle",
                        "Active policy",
                        "The Rego policy that decides every call: its source, revision and modules.",
                        ActionDescriptor.read("local", "policy", null, "bundle", Map.of()),
                        (p, v) -> policyText()),
                resource(
                        "ops://tools/catalog",
                        "tools-catalog",
                        "Tool catalog",
                        "Every tool with its toolset and risk: read-only, destructive, idempotent, open-world (JSON).",
                        ActionDescriptor.read("local", "tool_catalog", null, "catalog", Map.of()),
                        (p, v) -> toolCatalog()));
    }

    @Override
    public List<OpsResourceTemplate> resourceTemplates() {
        return List.of(new OpsResourceTemplate() {
            @Override
            public Definition definition() {
                return new Definition(
                        "ops://approvals/{id}",
                        "approval",
                        "One approval",
                        "An approval request and its votes (JSON).",
                        "application/json");
            }

            @Override
            public ResourceContent read(String uri, Map<String, String> variables, Principal principal) {
                Approval a = find(variables.get("id"));
                return new ResourceContent(uri, "application/json", json.writeValueAsString(ApprovalService.status(a)));
            }

            @Override
            public ActionDescriptor reveals(String uri, Map<String, String> variables) {
                Approval a = find(variables.get("id"));
                return approvalDescriptor(a.id(), a.requester());
            }

            @Override
            public List<String> complete(String variable, String prefix) {
                return "id".equals(variable)
                        ? approvals.list(EnumSet.of(Approval.Status.PENDING, Approval.Status.APPROVED), 100).stream()
                                .map(Approval::id)
                                .filter(id -> id.startsWith(prefix))
                                .toList()
                        : List.of();
            }
        });
    }

    private Approval find(String id) {
        if (id == null || !id.matches(ToolGateway.APPROVAL_ID_PATTERN)) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "approval id must look like apr_ followed by" + " 26 letters and digits");
        }
        return approvals
                .find(id)
                .orElseThrow(
                        () -> new ToolException(ToolException.Kind.NOT_FOUND, "approval " + id + " does not exist"));
    }

    /**
     * What an approval reveals to the policy: provider {@code local}, kind {@code approval}, its id and requester
     * (the shipped policy shows it to the requester and to roles whose views list {@code approval}).
     */
    static ActionDescriptor approvalDescriptor(String id, String requester) {
        return ActionDescriptor.read(
                "local", "approval", null, id, requester == null ? Map.of() : Map.of("requester", requester));
    }

    private String pendingJson(Visibility visible) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        approvals.list(EnumSet.of(Approval.Status.PENDING), RECENT).stream()
                .filter(a -> visible.mayRead(approvalDescriptor(a.id(), a.requester())))
                .forEach(a -> list.add(ApprovalService.status(a)));
        return json.writeValueAsString(list);
    }

    private String recentAudit() {
        StringBuilder out = new StringBuilder();
        for (AuditEntry e : audit.tail(RECENT)) {
            out.append(json.writeValueAsString(e.toJson())).append('\n');
        }
        return out.toString();
    }

    private String environments(Principal principal) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("principal", principal.id());
        var roles = out.putArray("roles");
        principal.roles().stream().sorted().forEach(roles::add);
        var bundle = policy.bundle();
        if (bundle.isEmpty()) {
            out.put("note", "the policy is served by " + policy.description() + "; its data is not visible here");
            return json.writeValueAsString(out);
        }
        JsonNode data = bundle.get().data().path("opsmcp");
        out.set("environments", data.path("environments"));
        ObjectNode allowed = out.putObject("allowed");
        for (var env : data.path("environments").propertyNames()) {
            boolean read = false;
            boolean change = false;
            for (String role : principal.roles()) {
                JsonNode r = data.path("roles").path(role);
                read |= contains(r.path("read"), env);
                change |= contains(r.path("change"), env);
            }
            ObjectNode e = allowed.putObject(env);
            e.put("read", read);
            e.put("change", change);
        }
        return json.writeValueAsString(out);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asString())) {
                return true;
            }
        }
        return false;
    }

    private String policyText() {
        var bundle = policy.bundle();
        if (bundle.isEmpty()) {
            return "The policy is served by " + policy.description() + ".\n";
        }
        StringBuilder out = new StringBuilder("# source: " + bundle.get().source() + ", revision: "
                + bundle.get().revision() + "\n");
        new TreeMap<>(bundle.get().modules())
                .forEach((file, text) -> out.append("\n# ---- ")
                        .append(file)
                        .append(" ----\n")
                        .append(text)
                        .append(text.endsWith("\n") ? "" : "\n"));
        return out.toString();
    }

    private String toolCatalog() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        List<OpsToolset> all = new ArrayList<>(catalogued);
        all.add(this);
        for (OpsToolset toolset : all) {
            for (OpsTool t : toolset.tools()) {
                catalogEntry(out.addObject(), toolset.name(), t.definition());
            }
        }
        return json.writeValueAsString(out);
    }

    private static void catalogEntry(ObjectNode tool, String toolset, ToolDefinition d) {
        tool.put("name", d.name());
        tool.put("toolset", toolset);
        tool.put("title", d.title());
        tool.put("read_only", d.readOnly());
        tool.put("destructive", d.destructive());
        tool.put("idempotent", d.annotations().idempotentHint());
        tool.put("open_world", d.annotations().openWorldHint());
        tool.put("risk", d.readOnly() ? "read" : d.destructive() ? "destructive" : "change");
        tool.put("description", d.description());
    }

    private interface Reader {
        String read(Principal principal, Visibility visible);
    }

    private static OpsResource resource(
            String uri, String name, String title, String description, ActionDescriptor reveals, Reader reader) {
        String mime = uri.endsWith("recent")
                ? "application/jsonl"
                : uri.endsWith("bundle") ? "text/plain" : "application/json";
        return new OpsResource() {
            @Override
            public Definition definition() {
                return new Definition(uri, name, title, description, mime);
            }

            @Override
            public ActionDescriptor reveals() {
                return reveals;
            }

            @Override
            public ResourceContent read(Principal principal) {
                // Without a visibility check nothing that needs one is shown.
                return read(principal, revealed -> false);
            }

            @Override
            public ResourceContent read(Principal principal, Visibility visible) {
                return new ResourceContent(uri, mime, reader.read(principal, visible));
            }
        };
    }

    /** {@code approval_status(approval_id)}: where an approval stands. */
    private final class ApprovalStatus implements OpsTool {

        private final ToolDefinition definition;

        ApprovalStatus() {
            ObjectNode schema = JsonNodeFactory.instance.objectNode();
            schema.put("type", "object");
            schema.put("additionalProperties", false);
            schema.putArray("required").add("approval_id");
            ObjectNode id = schema.putObject("properties").putObject("approval_id");
            id.put("type", "string");
            id.put("pattern", ToolGateway.APPROVAL_ID_PATTERN);
            id.put("description", "The id returned when approval was required (apr_…).");
            ObjectNode out = ApprovalService.statusSchema();
            this.definition = new ToolDefinition(
                    "approval_status",
                    "Approval status",
                    "Where an approval request stands: pending (what it still needs), approved (call the tool "
                            + "again with the same arguments plus approval_id), denied, used or expired.",
                    schema,
                    out,
                    // reads ops-mcp's own approval store, no outside system
                    new ToolAnnotations(true, false, true, false));
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            String id = args.path("approval_id").asString();
            return approvalDescriptor(
                    id, approvals.find(id).map(Approval::requester).orElse(null));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            Approval a = find(args.path("approval_id").asString());
            String text = switch (a.status()) {
                case PENDING ->
                    "Pending: " + a.approvers().size() + " of " + a.minApprovals() + " approval(s) from "
                            + (a.approverRoles().isEmpty() ? "any role" : String.join(" or ", a.approverRoles()))
                            + "; expires " + a.expiresAt() + ".";
                case APPROVED ->
                    "Approved by " + String.join(", ", a.approvers()) + ". Call " + a.tool()
                            + " again with the same arguments plus \"approval_id\": \"" + a.id() + "\" before "
                            + a.expiresAt() + ".";
                case DENIED -> "Denied.";
                case USED -> "Used at " + a.usedAt() + "; an approval runs one call only.";
                case EXPIRED ->
                    "Expired at " + a.expiresAt() + "; call the tool again without approval_id to request a new one.";
            };
            return ToolResult.ok(
                    a.id() + " (" + a.tool() + ", requested by " + a.requester() + "): " + text,
                    ApprovalService.status(a));
        }
    }
}
