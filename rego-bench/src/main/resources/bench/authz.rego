# Representative ops authorization policy used by the JMH benchmark.
package opsmcp.authz

import rego.v1

default allow := false

default reason := "no matching permission"

# --- identity -------------------------------------------------------------------------

principal := input.principal

roles contains role if {
	some role in principal.roles
}

roles contains role if {
	some group in principal.groups
	some role in data.groups[group].roles
}

is_admin if "admin" in roles

is_break_glass if {
	input.context.break_glass == true
	principal.id in data.break_glass.allowed
}

# --- environment scoping ----------------------------------------------------------------

environment := env if {
	some env, cfg in data.environments
	input.resource.cluster in cfg.clusters
}

env_config := data.environments[environment]

environment_allowed if {
	some role in roles
	environment in data.role_environments[role]
}

protected_environment if env_config.protected == true

# --- tool permissions ----------------------------------------------------------------------

tool := input.tool

permissions contains perm if {
	some role in roles
	some perm in data.role_permissions[role]
}

tool_permitted if {
	some perm in permissions
	glob.match(perm, ["."], tool.name)
}

read_only_tool if tool.name in data.read_only_tools

destructive_tool if {
	some prefix in data.destructive_prefixes
	startswith(tool.name, prefix)
}

# --- approvals ------------------------------------------------------------------------------

valid_approvals := [a |
	some a in input.approvals
	a.approver != principal.id
	a.status == "approved"
	a.expires_at_ns > input.context.now_ns
	approver_is_eligible(a.approver)
]

approver_is_eligible(id) if {
	some u in data.approvers
	u.id == id
	environment in u.environments
}

approvals_needed := n if {
	protected_environment
	destructive_tool
	n := env_config.approvals_required
} else := 0

approvals_satisfied if count(valid_approvals) >= approvals_needed

# --- arguments ----------------------------------------------------------------------------

forbidden_args contains arg if {
	some arg in tool.args
	some pattern in data.forbidden_arg_patterns
	regex.match(pattern, arg)
}

args_ok if count(forbidden_args) == 0

# --- time windows -------------------------------------------------------------------------

in_change_window if not env_config.change_window

in_change_window if {
	window := env_config.change_window
	hour := input.context.hour_utc
	hour >= window.start_hour
	hour < window.end_hour
}

# --- decision --------------------------------------------------------------------------------

allow if is_admin

allow if is_break_glass

allow if {
	environment_allowed
	tool_permitted
	read_only_tool
	args_ok
}

allow if {
	environment_allowed
	tool_permitted
	not read_only_tool
	args_ok
	approvals_satisfied
	in_change_window
}

reason := "admin" if is_admin

else := "break glass" if is_break_glass

else := "environment not allowed" if not environment_allowed

else := sprintf("tool %s not permitted", [tool.name]) if not tool_permitted

else := "forbidden arguments" if not args_ok

else := sprintf("needs %d approvals, has %d", [approvals_needed, count(valid_approvals)]) if {
	not approvals_satisfied
}

else := "outside change window" if not in_change_window

else := "allowed"

decision := {
	"allow": allow,
	"reason": reason,
	"environment": environment,
	"roles": roles,
	"approvals": count(valid_approvals),
}
