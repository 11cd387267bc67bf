# ops-mcp default authorization policy.
#
# Query: data.opsmcp.authz.decision. Input and decision shapes: ARCHITECTURE.md "Policy contract" and
# policies/README.md. Configuration (environments, roles, freezes, limits) is in data.opsmcp (data.json).
#
# Order of evaluation: any deny reason wins; otherwise a call that needs no approval is allowed; otherwise a
# satisfying input.approval allows it; otherwise the decision asks for approval.
package opsmcp.authz

import rego.v1

# The configuration, each part only when it has the documented type. A missing or malformed part leaves the
# value undefined, and nothing that depends on it can allow (fail closed).
environments := data.opsmcp.environments if is_object(data.opsmcp.environments)

roles := data.opsmcp.roles if is_object(data.opsmcp.roles)

no_approval := {"required": false}

# ---------------------------------------------------------------------------------------------------------
# Decision. The default is a deny; a call is allowed only by a positive fact (allowed_without_approval,
# approval_satisfied) and asks for approval only under a well-formed requirement. Missing, empty or malformed
# data can therefore only ever make the decision the default deny, never an allow.
# ---------------------------------------------------------------------------------------------------------

default decision := {
	"allow": false,
	"reasons": ["no rule of the policy allows this call; the policy data may be missing or malformed (deny by default)"],
	"approval": {"required": false},
}

decision := {"allow": false, "reasons": sort(deny), "approval": no_approval} if {
	count(deny) > 0
} else := {"allow": true, "reasons": allow_reasons, "approval": no_approval} if {
	allowed_without_approval
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
} if {
	change_permitted
	not break_glass_active
	requirement_valid
}

# A read is allowed when a role of the caller may see what it reveals.
allowed_without_approval if read_permitted

# A change is allowed without approval when it is permitted and the environment's rule says, in so many
# words, that no approval is needed (approval: null), or break-glass is in force.
allowed_without_approval if {
	change_permitted
	break_glass_active
}

allowed_without_approval if {
	change_permitted
	not break_glass_active
	no_approval_needed
}

no_approval_needed if {
	not access_rule
	not destructive
	environments[env].approval == null
}

no_approval_needed if {
	not access_rule
	destructive
	object.get(environments[env], "destructive_approval", environments[env].approval) == null
}

read_permitted if {
	known_principal
	known_action
	read_only
	env
	may_read(env)
}

read_permitted if {
	known_principal
	known_action
	read_only
	not env
	unscoped
}

read_permitted if {
	known_principal
	known_action
	read_only
	not env
	local_view
}

# Every check a change must pass, as positive facts: known caller, a role that may change the environment,
# the circuit breaker below its (numeric) limit, the time known and outside every (well-formed) freeze
# window, the destructive classification configured, and break-glass with its reason when the caller holds it.
change_permitted if {
	known_principal
	tools_call
	mutation
	env
	may_change(env)
	breaker_ok
	now_ns
	freezes_ok
	destructive_rules_ok
	access_kinds_ok
	break_glass_ok
}

breaker_ok if {
	is_number(breaker_limit)
	is_number(input.history.actions_on_resource_last_hour)
	input.history.actions_on_resource_last_hour < breaker_limit
}

breaker_limit := data.opsmcp.circuit_breaker.max_mutations_per_resource_per_hour

freezes_ok if break_glass_active

freezes_ok if {
	freezes_well_formed
	count(active_freezes) == 0
}

freezes_well_formed if {
	is_array(data.opsmcp.change_freezes)
	every freeze in data.opsmcp.change_freezes {
		is_array(freeze.environments)
		time.parse_rfc3339_ns(freeze.start)
		time.parse_rfc3339_ns(freeze.end)
	}
}

destructive_rules_ok if {
	is_array(data.opsmcp.destructive.tool_patterns)
	is_array(data.opsmcp.destructive.command_classes)
	is_array(data.opsmcp.destructive.zero_count_fields)
}

break_glass_ok if not break_glass

break_glass_ok if break_glass_active

# ---------------------------------------------------------------------------------------------------------
# The call
# ---------------------------------------------------------------------------------------------------------

# What the caller asks for (input.action): a tool call, a resource read or a completion. Inputs without the key
# are tool calls (inputs written before the key existed); any other value is denied.
action := object.get(input, "action", "tools/call")

known_action if action in {"tools/call", "resources/read", "completion/complete"}

tools_call if action == "tools/call"

# Anything not explicitly read-only is treated as a mutation (fail closed).
read_only if input.tool.read_only == true

mutation if not read_only

principal_id := input.principal.id if {
	is_string(input.principal.id)
	input.principal.id != ""
}

who := principal_id

who := "an unidentified caller" if not principal_id

# The caller's roles that the policy knows. Roles must be a list of strings: a single string ("sre-lead") or
# an object is no role at all.
principal_roles contains r if {
	is_array(input.principal.roles)
	some r in input.principal.roles
	is_string(r)
	is_object(roles[r])
}

known_principal if {
	principal_id
	count(principal_roles) > 0
}

given_roles := [r | some r in input.principal.roles; is_string(r)] if is_array(input.principal.roles)

given_roles := [] if not is_array(input.principal.roles)

roles_text := concat(", ", sort(given_roles)) if count(given_roles) > 0

roles_text := "none" if count(given_roles) == 0

may_read(env_name) if {
	some r in principal_roles
	is_array(roles[r].read)
	env_name in roles[r].read
}

may_change(env_name) if {
	some r in principal_roles
	is_array(roles[r].change)
	env_name in roles[r].change
}

# ---------------------------------------------------------------------------------------------------------
# The server's own records (provider local): the audit log and approvals reveal what was done and asked on
# every resource, so only roles whose views list the kind may read them; an approval is also visible to the
# principal who requested it.
# ---------------------------------------------------------------------------------------------------------

local_view if {
	input.resource.provider == "local"
	some r in principal_roles
	is_array(roles[r].views)
	input.resource.kind in roles[r].views
}

local_view if {
	input.resource.provider == "local"
	input.resource.kind == "approval"
	is_string(input.resource.requester)
	input.resource.requester == principal_id
}

# ---------------------------------------------------------------------------------------------------------
# Environment of the resource, from data (authoritative). A declared input.resource.environment only counts
# when the data also places the resource somewhere; the strictest (highest rank) environment wins.
# ---------------------------------------------------------------------------------------------------------

scope_matches contains name if {
	input.resource.provider == "aws"
	some name, e in environments
	is_array(e.aws)
	some account in e.aws
	aws_account(account)
	aws_region(account)
}

scope_matches contains name if {
	input.resource.provider == "gitlab"
	some name, e in environments
	is_array(e.gitlab.projects)
	some pattern in e.gitlab.projects
	is_string(pattern)
	glob.match(pattern, ["/"], gitlab_path)
}

scope_matches contains name if {
	input.resource.provider == "gitlab"
	some name, e in environments
	is_array(e.gitlab.groups)
	some group in e.gitlab.groups
	is_string(group)
	gitlab_in_group(group)
}

scope_matches contains name if {
	input.resource.provider == "host"
	some name, e in environments
	is_array(e.hosts.host_groups)
	some pattern in e.hosts.host_groups
	is_string(pattern)
	is_string(input.resource.host_group)
	glob.match(pattern, ["/"], input.resource.host_group)
}

scope_matches contains name if {
	input.resource.provider == "host"
	some name, e in environments
	is_array(e.hosts.names)
	some pattern in e.hosts.names
	is_string(pattern)
	is_string(input.resource.name)
	glob.match(pattern, ["/"], input.resource.name)
}

aws_account(account) if input.resource.account == account.account

aws_account(account) if input.resource.account == account.account_id

aws_account(account) if input.resource.account_id == account.account_id

aws_region(account) if {
	is_array(account.regions)
	"*" in account.regions
}

aws_region(account) if {
	is_array(account.regions)
	input.resource.region in account.regions
}

gitlab_path := object.get(input.resource, "project", object.get(input.resource, "name", ""))

gitlab_in_group(group) if {
	is_string(gitlab_path)
	startswith(gitlab_path, concat("", [group, "/"]))
}

gitlab_in_group(group) if gitlab_path == group

env_candidates contains name if some name in scope_matches

env_candidates contains input.resource.environment if {
	count(scope_matches) > 0
	is_string(input.resource.environment)
	is_object(environments[input.resource.environment])
}

# With any candidate's rank malformed, the strictest cannot be told and nothing is in scope.
env := name if {
	every c in env_candidates {
		is_number(environments[c].rank)
	}
	some name in env_candidates
	every other in env_candidates {
		environments[other].rank <= environments[name].rank
	}
}

# Resources that belong to no environment (configuration listings, local runbooks): read-only calls only.
# The audit log and approvals are never unscoped, whatever data.opsmcp.unscoped says: they are read through
# a role's views (local_view) only.
unscoped if {
	is_array(data.opsmcp.unscoped)
	some u in data.opsmcp.unscoped
	is_string(u.provider)
	is_string(u.kind)
	is_string(input.resource.provider)
	is_string(input.resource.kind)
	glob.match(u.provider, ["/"], input.resource.provider)
	glob.match(u.kind, ["/"], input.resource.kind)
	not local_restricted
}

# Kinds of the server's own records that only some roles may read.
sensitive_local_kinds := {"audit_log", "approval"}

local_restricted if {
	input.resource.provider == "local"
	input.resource.kind in sensitive_local_kinds
}

local_restricted if {
	input.resource.provider == "local"
	some _, role in roles
	is_array(role.views)
	input.resource.kind in role.views
}

viewers(kind) := sort([r | some r, role in roles; is_array(role.views); kind in role.views])

in_scope if env

in_scope if {
	read_only
	unscoped
}

in_scope if {
	read_only
	local_view
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
	is_array(data.opsmcp.destructive.tool_patterns)
	some pattern in data.opsmcp.destructive.tool_patterns
	is_string(pattern)
	is_string(input.tool.name)
	glob.match(pattern, ["/"], input.tool.name)
	msg := sprintf("%v deletes, cancels or terminates", [input.tool.name])
}

destructive_why contains msg if {
	is_array(data.opsmcp.destructive.command_classes)
	input.facts.command_class in data.opsmcp.destructive.command_classes
	msg := sprintf("the command is classed %v", [input.facts.command_class])
}

destructive_why contains msg if {
	is_array(data.opsmcp.destructive.zero_count_fields)
	some field in data.opsmcp.destructive.zero_count_fields
	input.change.after[field] == 0
	before := object.get(object.get(input.change, "before", {}), field, "?")
	before != 0
	msg := sprintf("scales to zero: %v %v -> 0", [field, before])
}

destructive if count(destructive_why) > 0

# ---------------------------------------------------------------------------------------------------------
# Access changes: kinds listed in data.opsmcp.access_kinds (IAM users and access keys: who can sign in and
# with what) are decided by the environment's access_approval when it has one (e.g. two approvers in prod),
# whatever else the change is; without one, like any other change. The list is optional (absent: none);
# present, it must be a list, or changes are refused.
# ---------------------------------------------------------------------------------------------------------

access_kinds_given if data.opsmcp.access_kinds == data.opsmcp.access_kinds

access_kinds_ok if not access_kinds_given

access_kinds_ok if is_array(data.opsmcp.access_kinds)

access_change if {
	is_array(data.opsmcp.access_kinds)
	some pattern in data.opsmcp.access_kinds
	is_string(pattern)
	is_string(input.resource.kind)
	glob.match(pattern, ["/"], input.resource.kind)
}

# The environment has a rule for access changes and this is one. A malformed rule (not an object) still
# counts as set: requirement_valid then fails and the change is refused rather than decided by a weaker rule.
access_rule if {
	access_change
	object.get(environments[env], "access_approval", null) != null
}

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
	msg := sprintf("%v has no role the policy knows (roles: %v; known: %v)", [who, roles_text, known_roles_text])
}

known_roles_text := concat(", ", sort(object.keys(roles))) if roles

known_roles_text := "none: data.opsmcp.roles is missing or not an object" if not roles

deny contains "the policy data is missing or malformed: data.opsmcp.environments must be an object of environments" if {
	not environments
}

deny contains msg if {
	not known_action
	msg := sprintf("unknown action %v: the policy decides tools/call, resources/read and completion/complete", [action])
}

deny contains msg if {
	known_principal
	not tools_call
	known_action
	mutation
	msg := sprintf("%v is always a read; the guard must mark it read_only", [action])
}

deny contains msg if {
	known_principal
	not in_scope
	not unscoped
	not local_restricted
	msg := sprintf("%v%v is outside every configured environment (out of scope)", [resource_label, where])
}

deny contains msg if {
	known_principal
	read_only
	local_restricted
	not local_view
	msg := sprintf("%v (roles: %v) may not read %v; that needs one of the roles %v", [who, roles_text, resource_label, viewers_text])
}

viewers_text := concat(", ", viewers(input.resource.kind)) if count(viewers(input.resource.kind)) > 0

viewers_text := "(none: no role lists it in views)" if count(viewers(input.resource.kind)) == 0

deny contains msg if {
	known_principal
	mutation
	local_restricted
	msg := sprintf("%v cannot be changed through a tool", [resource_label])
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

changers(env_name) := sort([r | some r, role in roles; is_array(role.change); env_name in role.change])

deny contains msg if {
	known_principal
	mutation
	env
	not is_number(breaker_limit)
	msg := "the policy data is missing or malformed: circuit_breaker.max_mutations_per_resource_per_hour must be a number; changes are refused"
}

deny contains msg if {
	known_principal
	mutation
	env
	not break_glass_active
	not freezes_well_formed
	msg := "the policy data is missing or malformed: change_freezes must be a list of {name, environments, start, end} with RFC 3339 times; changes are refused"
}

deny contains msg if {
	known_principal
	mutation
	env
	not destructive_rules_ok
	msg := "the policy data is missing or malformed: destructive.tool_patterns, command_classes and zero_count_fields must be lists; changes are refused"
}

deny contains msg if {
	known_principal
	mutation
	env
	not access_kinds_ok
	msg := "the policy data is malformed: access_kinds must be a list of resource kinds; changes are refused"
}

deny contains msg if {
	known_principal
	mutation
	env
	may_change(env)
	not break_glass_active
	not no_approval_needed
	not requirement_valid
	msg := sprintf("the policy data is missing or malformed: the approval rule of environment %v must be null or {min_approvals >= 1, approver_roles, allow_self_approval, ttl_seconds > 0}; changes are refused", [env])
}

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
	limit := breaker_limit
	is_number(limit)
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
	is_array(data.opsmcp.change_freezes)
	some freeze in data.opsmcp.change_freezes
	is_array(freeze.environments)
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

break_glass_reason := trim_space(input.args[data.opsmcp.break_glass.reason_argument]) if {
	is_string(data.opsmcp.break_glass.reason_argument)
	is_string(input.args[data.opsmcp.break_glass.reason_argument])
}

break_glass_active if {
	break_glass
	mutation
	is_number(data.opsmcp.break_glass.min_reason_length)
	count(break_glass_reason) >= data.opsmcp.break_glass.min_reason_length
}

# ---------------------------------------------------------------------------------------------------------
# Approval
# ---------------------------------------------------------------------------------------------------------

requirement := r if {
	mutation
	not break_glass_active
	access_rule
	r := environments[env].access_approval
} else := r if {
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

requirement_valid if {
	is_number(requirement.min_approvals)
	requirement.min_approvals >= 1
	is_array(requirement.approver_roles)
	every r in requirement.approver_roles {
		is_string(r)
	}
	is_boolean(requirement.allow_self_approval)
	is_number(requirement.ttl_seconds)
	requirement.ttl_seconds > 0
}

requirement_text := sprintf("%v %v %v by %v; %v", [subject, verb, count_text, approvers_text, self_text])

subject := sprintf("%v access change to %v%v", [env, resource_label, access_destructive_text]) if {
	access_rule
} else := sprintf("destructive %v change to %v (%v)", [env, resource_label, concat("; ", sort(destructive_why))]) if {
	destructive
} else := sprintf("%v changes", [env])

access_destructive_text := sprintf(" (destructive: %v)", [concat("; ", sort(destructive_why))]) if destructive

access_destructive_text := "" if not destructive

verb := "needs" if destructive

verb := "needs" if access_rule

verb := "need" if {
	not destructive
	not access_rule
}

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
	is_array(input.approval.approvers)
	some a in input.approval.approvers
	is_string(a.id)
	holds_approver_role(a)
	may_self_approve(a.id)
}

holds_approver_role(_) if count(requirement.approver_roles) == 0

holds_approver_role(a) if {
	is_array(a.roles)
	some r in a.roles
	r in requirement.approver_roles
}

may_self_approve(id) if id != input.principal.id

may_self_approve(_) if requirement.allow_self_approval

approval_satisfied if {
	change_permitted
	not break_glass_active
	requirement_valid
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
	is_array(input.approval.approvers)
	some a in input.approval.approvers
	not holds_approver_role(a)
	msg := sprintf("%v cannot approve: not one of the roles %v", [a.id, concat(", ", requirement.approver_roles)])
}

approval_problems contains msg if {
	is_array(input.approval.approvers)
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
