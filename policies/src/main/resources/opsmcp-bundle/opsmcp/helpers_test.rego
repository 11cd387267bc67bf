# Shared inputs for the tests, shaped like the guard builds them (ARCHITECTURE.md "Policy contract").
package opsmcp.authz_test

import rego.v1

import data.opsmcp.authz

now := "2026-11-21T10:00:00Z"

alice_sre := {"id": "alice", "roles": ["sre"], "auth": "local"}

alice_lead := {"id": "alice", "roles": ["sre-lead"], "auth": "local"}

vera_viewer := {"id": "vera", "roles": ["viewer"], "auth": "api-key"}

bob_lead := {"id": "bob", "roles": ["sre-lead"], "auth": "api-key"}

carol_lead := {"id": "carol", "roles": ["sre", "sre-lead"], "auth": "api-key"}

dave_sre := {"id": "dave", "roles": ["sre"], "auth": "api-key"}

gina_glass := {"id": "gina", "roles": ["break-glass"], "auth": "api-key"}

# The sandbox's AWS account (prod in eu-west-1) and service.
checkout := {
	"provider": "aws", "kind": "ecs:service", "environment": "prod", "account": "sandbox",
	"account_id": "123456789012", "region": "eu-west-1", "cluster": "shop", "service": "checkout",
	"name": "checkout",
}

aws_in(account, account_id, region) := {
	"provider": "aws", "kind": "ecs:service", "environment": null, "account": account,
	"account_id": account_id, "region": region, "cluster": "shop", "service": "checkout", "name": "checkout",
}

gitlab_project(path) := {"provider": "gitlab", "kind": "gitlab:pipeline", "environment": null, "project": path, "name": "1042"}

host(name, group, environment) := {
	"provider": "host", "kind": "host", "environment": environment, "name": name,
	"address": "127.0.0.1", "host_group": group,
}

sandbox_host := host("sandbox", "sandbox", "dev")

prod_host := host("web-1", "prod-web", "prod")

inventory := {"provider": "host", "kind": "host_inventory", "environment": null, "name": "hosts"}

health_tool := {"name": "ecs_service_health", "toolset": "aws", "read_only": true, "destructive": false}

scale_tool := {"name": "ecs_scale_service", "toolset": "aws", "read_only": false, "destructive": false}

memory_tool := {"name": "ecs_update_task_resources", "toolset": "aws", "read_only": false, "destructive": false}

restart_tool := {"name": "host_service_restart", "toolset": "system", "read_only": false, "destructive": false}

status_tool := {"name": "host_service_status", "toolset": "system", "read_only": true, "destructive": false}

memory_change := {"summary": "memory 512 -> 1024", "before": {"memory": 512}, "after": {"memory": 1024}}

scale_to_zero := {"summary": "desiredCount 4 -> 0", "before": {"desiredCount": 4}, "after": {"desiredCount": 0}}

restart_change := {"summary": "restart nginx.service", "before": {}, "after": {}}

history(n) := {"actions_on_resource_last_hour": n, "actions_by_principal_last_hour": n}

read_call(principal, resource, tool) := {
	"principal": principal, "tool": tool, "resource": resource, "args": {}, "change": null,
	"approval": null, "history": history(0), "now": now,
}

change_call(principal, resource, tool, change) := {
	"principal": principal, "tool": tool, "resource": resource, "args": {}, "change": change,
	"approval": null, "history": history(0), "now": now,
}

# A call with some top-level keys replaced wholesale.
with_keys(call, replacement) := object.union(object.remove(call, object.keys(replacement)), replacement)

approval(requester, status, approvers) := {
	"id": "apr_TEST", "status": status, "min_approvals": count(approvers),
	"approvers": approvers, "requester": requester,
}

decide(call) := d if {
	d := authz.decision with input as call
}

env_of(resource) := e if {
	e := authz.env with input as read_call(alice_sre, resource, health_tool)
}

allowed(d) if {
	d.allow == true
	d.approval.required == false
	count(d.reasons) > 0
}

denied(d) if {
	d.allow == false
	d.approval.required == false
	count(d.reasons) > 0
}

needs_approval(d) if {
	d.allow == false
	d.approval.required == true
	count(d.reasons) > 0
}

has_reason(d, fragment) if {
	some r in d.reasons
	contains(r, fragment)
}

# Resources the server reads for resources/read and completion/complete (input.action says which).
runbook_resource := {"provider": "local", "kind": "runbook", "environment": null, "name": "ecs-out-of-memory"}

audit_resource := {"provider": "local", "kind": "audit_log", "environment": null, "name": "recent"}

approval_resource(requester) := {"provider": "local", "kind": "approval", "environment": null, "name": "apr_TEST", "requester": requester}

resource_tool(uri) := {"name": uri, "toolset": "guard", "read_only": true, "destructive": false}

runbook_read := resource_tool("runbook://ecs-out-of-memory")

audit_read := resource_tool("ops://audit/recent")

approval_read := resource_tool("ops://approvals/{id}")

resource_read(principal, resource, uri) := with_keys(read_call(principal, resource, resource_tool(uri)), {"action": "resources/read"})

completion(principal, resource) := with_keys(read_call(principal, resource, resource_tool("completion")), {"action": "completion/complete"})

glass_call(resource, tool, change, reason) := with_keys(
	change_call(gina_glass, resource, tool, change),
	{"args": {"cluster": "shop", "service": "checkout", "break_glass_reason": reason}},
)
