package io.opsmcp.guard.policy;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Policy inputs shaped as the guard builds them (every key present), for engine tests. */
final class PolicyInputs {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode input = F.objectNode();

    private PolicyInputs() {
        principal("alice", "sre");
        input.putNull("change");
        input.putNull("approval");
        history(0);
        now("2026-11-21T10:00:00Z");
        input.putObject("args");
    }

    /** A read-only {@code ecs_service_health} call on the sandbox's prod service shop/checkout. */
    static PolicyInputs readCheckout() {
        PolicyInputs p = new PolicyInputs();
        p.tool("ecs_service_health", "aws", true, false);
        p.awsResource("sandbox", "123456789012", "eu-west-1", "checkout", "prod");
        p.args().put("cluster", "shop").put("service", "checkout");
        return p;
    }

    /** {@code ecs_update_task_resources} on the sandbox's prod service: memory 512 -> 1024. */
    static PolicyInputs changeCheckoutMemory() {
        PolicyInputs p = new PolicyInputs();
        p.tool("ecs_update_task_resources", "aws", false, false);
        p.awsResource("sandbox", "123456789012", "eu-west-1", "checkout", "prod");
        p.args()
                .put("cluster", "shop")
                .put("service", "checkout")
                .put("container", "app")
                .put("memory", 1024);
        p.change("memory 512 -> 1024", "memory", 512, 1024);
        return p;
    }

    /** {@code host_service_restart} of nginx on the sandbox host (host group sandbox, dev). */
    static PolicyInputs restartOnSandboxHost() {
        PolicyInputs p = new PolicyInputs();
        p.tool("host_service_restart", "system", false, false);
        ObjectNode r = p.input.putObject("resource");
        r.put("provider", "host")
                .put("kind", "host")
                .put("environment", "dev")
                .put("name", "sandbox")
                .put("address", "127.0.0.1")
                .put("host_group", "sandbox");
        p.args().put("host", "sandbox").put("unit", "nginx.service");
        p.input.putObject("change").put("summary", "restart nginx.service on sandbox");
        return p;
    }

    PolicyInputs principal(String id, String... roles) {
        ObjectNode pr = input.putObject("principal");
        pr.put("id", id);
        pr.putArray("roles").addAll(List.of(roles).stream().map(F::stringNode).toList());
        pr.put("auth", "api-key");
        return this;
    }

    PolicyInputs tool(String name, String toolset, boolean readOnly, boolean destructive) {
        input.putObject("tool")
                .put("name", name)
                .put("toolset", toolset)
                .put("read_only", readOnly)
                .put("destructive", destructive);
        return this;
    }

    /** An ECS service; the declared environment is the one the account is configured with. */
    PolicyInputs awsResource(String account, String accountId, String region, String service, String environment) {
        input.putObject("resource")
                .put("provider", "aws")
                .put("kind", "ecs:service")
                .put("environment", environment)
                .put("account", account)
                .put("account_id", accountId)
                .put("region", region)
                .put("cluster", "shop")
                .put("service", service)
                .put("name", service);
        return this;
    }

    PolicyInputs change(String summary, String field, int before, int after) {
        ObjectNode c = input.putObject("change");
        c.put("summary", summary);
        c.putObject("before").put(field, before);
        c.putObject("after").put(field, after);
        return this;
    }

    PolicyInputs approval(String requester, String status, String approver, String... approverRoles) {
        ObjectNode a = input.putObject("approval");
        a.put("id", "apr_01JD7XQ3M9V6K2N8P4R5T0W1Y2")
                .put("status", status)
                .put("min_approvals", 1)
                .put("requester", requester);
        ObjectNode v = a.putArray("approvers").addObject();
        v.put("id", approver);
        v.putArray("roles")
                .addAll(List.of(approverRoles).stream().map(F::stringNode).toList());
        return this;
    }

    PolicyInputs history(int actionsOnResource) {
        input.putObject("history")
                .put("actions_on_resource_last_hour", actionsOnResource)
                .put("actions_by_principal_last_hour", actionsOnResource);
        return this;
    }

    PolicyInputs now(String instant) {
        input.put("now", instant);
        return this;
    }

    ObjectNode args() {
        JsonNode a = input.get("args");
        return a == null ? input.putObject("args") : (ObjectNode) a;
    }

    JsonNode build() {
        return input.deepCopy();
    }
}
