# ops-mcp default authorization policy.
#
# Query: data.opsmcp.authz.decision. Input and decision shapes: ARCHITECTURE.md "Policy contract" and
# policies/README.md. Configuration (environments, roles, freezes, limits) is in data.opsmcp (data.json).
#
# Order of evaluation: any deny reason wins; otherwise a call that needs no approval is allowed; otherwise a
# satisfying input.approval allows it; otherwise the decision asks for approval.
package opsmcp.authz

import rego.v1

environments := data.opsmcp.environments

roles := data.opsmcp.roles

no_approval := {"required": false}

# ---------------------------------------------------------------------------------------------------------
# Decision
# ---------------------------------------------------------------------------------------------------------

decision := {"allow": false, "reasons": sort(deny), "approval": no_approval} if {
	count(deny) > 0
} else := {"allow": true, "reasons": allow_reasons, "approval": no_approval} if {
	not requirement
} else := {"allow": true, "reasons": approved_reasons, "approval": no_approval} if {
	approval_satisfied
} else := {
	"allow": false,
	"reasons": array.concat([requirement_text], sort(approval_problems)),
	"approval": {
		"required": true,
		"min_approvals": requirement.min_approvals,
		"approver_roles": requirement.approver_roles,
		"allow_self_approval": requirement.allow_self_approval,
		"ttl_seconds": requirement.ttl_seconds,
	},
}

# ---------------------------------------------------------------------------------------------------------
# The call
# ---------------------------------------------------------------------------------------------------------

# Anything not explicitly read-only is treated as a mutation (fail closed).
read_only if input.tool.read_only == true

mutation if not read_only

principal_id := input.principal.id if {
	is_string(input.principal.id)
	input.principal.id != ""
}

who := principal_id

who := "an unidentified caller" if not principal_id

# The caller's roles that the policy knows.
principal_roles contains r if {
	some r in input.principal.roles
	roles[r]
}

known_principal if {
	principal_id
	count(principal_roles) > 0
}

roles_text := concat(", ", sort([r | some r in input.principal.roles])) if count(input.principal.roles) > 0

roles_text := "none" if not count(input.principal.roles) > 0

may_read(env_name) if {
	some r in principal_roles
	env_name in roles[r].read
}

may_change(env_name) if {
	some r in principal_roles
	env_name in roles[r].change
}

# ---------------------------------------------------------------------------------------------------------
# Environment of the resource, from data (authoritative). A declared input.resource.environment only counts
# when the data also places the resource somewhere; the strictest (highest rank) environment wins.
# ---------------------------------------------------------------------------------------------------------

scope_matches contains name if {
	input.resource.provider == "aws"
	some name, e in environments
	some account in e.aws
	aws_account(account)
	aws_region(account)
}

scope_matches contains name if {
	input.resource.provider == "gitlab"
	some name, e in environments
	some pattern in e.gitlab.projects
	glob.match(pattern, ["/"], gitlab_path)
}

scope_matches contains name if {
	input.resource.provider == "gitlab"
	some name, e in environments
	some group in e.gitlab.groups
	gitlab_in_group(group)
}

scope_matches contains name if {
	input.resource.provider == "host"
	some name, e in environments
	some pattern in e.hosts.host_groups
	glob.match(pattern, ["/"], input.resource.host_group)
}

scope_matches contains name if {
	input.resource.provider == "host"
	some name, e in environments
	some pattern in e.hosts.names
	glob.match(pattern, ["/"], input.resource.name)
}

aws_account(account) if input.resource.account == account.account

aws_account(account) if input.resource.account == account.account_id

aws_account(account) if input.resource.account_id == account.account_id

aws_region(account) if "*" in account.regions

aws_region(account) if input.resource.region in account.regions

gitlab_path := object.get(input.resource, "project", object.get(input.resource, "name", ""))

gitlab_in_group(group) if startswith(gitlab_path, concat("", [group, "/"]))

gitlab_in_group(group) if gitlab_path == group

env_candidates contains name if some name in scope_matches

env_candidates contains input.resource.environment if {
	count(scope_matches) > 0
	environments[input.resource.environment]
}

env := name if {
	some name in env_candidates
	every other in env_candidates {
		environments[other].rank <= environments[name].rank
	}
}

# Resources that belong to no environment (configuration listings, local runbooks): read-only calls only.
unscoped if {
	some u in data.opsmcp.unscoped
	glob.match(u.provider, ["/"], input.resource.provider)
	glob.match(u.kind, ["/"], input.resource.kind)
}

in_scope if env

in_scope if {
	read_only
	unscoped
}

resource_label := sprintf("%v %v", [object.get(input.resource, "kind", "resource"), object.get(input.resource, "name", "(unnamed)")])

where := sprintf(" (account %v, region %v)", [object.get(input.resource, "account", "?"), object.get(input.resource, "region", "?")]) if {
	input.resource.provider == "aws"
} else := sprintf(" (project %v)", [gitlab_path]) if {
	input.resource.provider == "gitlab"
} else := sprintf(" (host group %v)", [object.get(input.resource, "host_group", "none")]) if {
	input.resource.provider == "host"
} else := sprintf(" (provider %v)", [object.get(input.resource, "provider", "none")])

# ---------------------------------------------------------------------------------------------------------
# Destructive changes: the tool says so, it deletes/cancels/terminates by name, the command class is
# destructive, or the change sets a count to zero.
# ---------------------------------------------------------------------------------------------------------

destructive_why contains msg if {
	input.tool.destructive == true
	msg := sprintf("%v is marked destructive", [input.tool.name])
}

destructive_why contains msg if {
	some pattern in data.opsmcp.destructive.tool_patterns
	glob.match(pattern, ["/"], input.tool.name)
	msg := sprintf("%v deletes, cancels or terminates", [input.tool.name])
}

destructive_why contains msg if {
	input.args.command_class in data.opsmcp.destructive.command_classes
	msg := sprintf("the command is classed %v", [input.args.command_class])
}

destructive_why contains msg if {
	some field in data.opsmcp.destructive.zero_count_fields
	input.change.after[field] == 0
	before := object.get(object.get(input.change, "before", {}), field, "?")
	before != 0
	msg := sprintf("scales to zero: %v %v -> 0", [field, before])
}

destructive if count(destructive_why) > 0

# ---------------------------------------------------------------------------------------------------------
# Deny reasons
# ---------------------------------------------------------------------------------------------------------

deny contains msg if {
	not principal_id
	msg := "the caller has no principal id; the policy cannot tell who is calling"
}

deny contains msg if {
	principal_id
	count(principal_roles) == 0
	msg := sprintf("%v has no role the policy knows (roles: %v; known: %v)", [who, roles_text, concat(", ", sort(object.keys(roles)))])
}

deny contains msg if {
	known_principal
	not in_scope
	not unscoped
	msg := sprintf("%v%v is outside every configured environment (out of scope)", [resource_label, where])
}

deny contains msg if {
	known_principal
	mutation
	not env
	unscoped
	msg := sprintf("%v%v is in no environment; only read-only calls are allowed on it (out of scope)", [resource_label, where])
}

deny contains msg if {
	known_principal
	read_only
	env
	not may_read(env)
	msg := sprintf("%v (roles: %v) may not see %v resources", [who, roles_text, env])
}

deny contains msg if {
	known_principal
	mutation
	env
	not may_change(env)
	msg := sprintf("%v (roles: %v) may not change %v resources; that needs one of the roles %v", [who, roles_text, env, concat(", ", changers(env))])
}

changers(env_name) := sort([r | some r, role in roles; env_name in role.change])

deny contains msg if {
	known_principal
	mutation
	env
	not is_number(input.history.actions_on_resource_last_hour)
	msg := "input.history.actions_on_resource_last_hour is missing; the circuit breaker cannot be checked"
}

deny contains msg if {
	known_principal
	mutation
	env
	limit := data.opsmcp.circuit_breaker.max_mutations_per_resource_per_hour
	done := input.history.actions_on_resource_last_hour
	is_number(done)
	done >= limit
	msg := sprintf("circuit breaker: %v was already changed %v times in the last hour (limit %v); wait before changing it again", [resource_label, done, limit])
}

now_ns := time.parse_rfc3339_ns(input.now)

deny contains msg if {
	known_principal
	mutation
	env
	not now_ns
	msg := "input.now is missing or not an RFC 3339 time; change freezes cannot be checked"
}

deny contains msg if {
	known_principal
	mutation
	not break_glass_active
	some freeze in active_freezes
	msg := sprintf("%v is in a change freeze (%v) from %v until %v: no %v changes", [env, freeze.name, freeze.start, freeze.end, env])
}

active_freezes contains freeze if {
	some freeze in data.opsmcp.change_freezes
	env in freeze.environments
	now_ns >= time.parse_rfc3339_ns(freeze.start)
	now_ns < time.parse_rfc3339_ns(freeze.end)
}

deny contains msg if {
	known_principal
	mutation
	env
	break_glass
	not break_glass_active
	msg := sprintf("break-glass changes must say why: add %v (at least %v characters) to the arguments", [data.opsmcp.break_glass.reason_argument, data.opsmcp.break_glass.min_reason_length])
}

# ---------------------------------------------------------------------------------------------------------
# Break-glass: a principal holding the break-glass role must give a reason with every change; with one, the
# change skips approval and change freezes (not scope or the circuit breaker) and the reason is in the
# decision's reasons, which the audit log records.
# ---------------------------------------------------------------------------------------------------------

break_glass if data.opsmcp.break_glass.role in principal_roles

break_glass_reason := trim_space(input.args[data.opsmcp.break_glass.reason_argument])

break_glass_active if {
	break_glass
	mutation
	count(break_glass_reason) >= data.opsmcp.break_glass.min_reason_length
}

# ---------------------------------------------------------------------------------------------------------
# Approval
# ---------------------------------------------------------------------------------------------------------

requirement := r if {
	mutation
	not break_glass_active
	destructive
	r := object.get(environments[env], "destructive_approval", environments[env].approval)
	is_object(r)
} else := r if {
	mutation
	not break_glass_active
	r := environments[env].approval
	is_object(r)
}

requirement_text := sprintf("%v %v %v by %v; %v", [subject, verb, count_text, approvers_text, self_text])

subject := sprintf("destructive %v change to %v (%v)", [env, resource_label, concat("; ", sort(destructive_why))]) if {
	destructive
} else := sprintf("%v changes", [env])

verb := "needs" if destructive

verb := "need" if not destructive

count_text := "1 approval" if requirement.min_approvals == 1

count_text := sprintf("%v approvals", [requirement.min_approvals]) if requirement.min_approvals != 1

approvers_text := "anyone" if count(requirement.approver_roles) == 0

approvers_text := sprintf("a principal with role %v", [concat(" or ", requirement.approver_roles)]) if {
	count(requirement.approver_roles) > 0
	requirement.min_approvals == 1
}

approvers_text := sprintf("distinct principals with role %v", [concat(" or ", requirement.approver_roles)]) if {
	count(requirement.approver_roles) > 0
	requirement.min_approvals != 1
}

self_text := "the requester may approve their own change" if requirement.allow_self_approval

self_text := "the requester may not approve their own change" if not requirement.allow_self_approval

# Distinct approvers of input.approval that count toward the requirement.
valid_approvers contains a.id if {
	some a in input.approval.approvers
	holds_approver_role(a)
	may_self_approve(a.id)
}

holds_approver_role(_) if count(requirement.approver_roles) == 0

holds_approver_role(a) if {
	some r in a.roles
	r in requirement.approver_roles
}

may_self_approve(id) if id != input.principal.id

may_self_approve(_) if requirement.allow_self_approval

approval_satisfied if {
	input.approval.status == "approved"
	input.approval.requester == input.principal.id
	count(valid_approvers) >= requirement.min_approvals
}

# Why a supplied approval does not (yet) allow the call.
approval_problems contains msg if {
	is_object(input.approval)
	input.approval.status != "approved"
	msg := sprintf("approval %v is %v, not approved", [input.approval.id, input.approval.status])
}

approval_problems contains msg if {
	is_object(input.approval)
	input.approval.requester != input.principal.id
	msg := sprintf("approval %v was requested by %v, not by %v", [input.approval.id, input.approval.requester, who])
}

approval_problems contains msg if {
	is_object(input.approval)
	count(valid_approvers) < requirement.min_approvals
	msg := sprintf("approval %v has %v of the %v approvals needed", [input.approval.id, count(valid_approvers), requirement.min_approvals])
}

approval_problems contains msg if {
	some a in input.approval.approvers
	not holds_approver_role(a)
	msg := sprintf("%v cannot approve: not one of the roles %v", [a.id, concat(", ", requirement.approver_roles)])
}

approval_problems contains msg if {
	some a in input.approval.approvers
	not may_self_approve(a.id)
	msg := sprintf("%v cannot approve their own %v change", [a.id, env])
}

approved_reasons := [sprintf("%v change to %v approved by %v (approval %v)", [env, resource_label, concat(", ", sort(valid_approvers)), input.approval.id])]

# ---------------------------------------------------------------------------------------------------------
# Allow reasons
# ---------------------------------------------------------------------------------------------------------

allow_reasons := [sprintf("read-only call on %v in %v allowed for %v", [resource_label, env, who])] if {
	read_only
	env
} else := [sprintf("read-only call on %v (in no environment) allowed for %v", [resource_label, who])] if {
	read_only
} else := [
	sprintf("break-glass: %v changes %v in %v without approval or change freeze; reason: %v", [who, resource_label, env, break_glass_reason]),
	"break-glass use is audited; review it after the incident",
] if {
	break_glass_active
} else := [sprintf("%v changes need no approval; allowed for %v (roles: %v)", [env, who, roles_text])]
