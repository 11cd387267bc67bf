# The policy fails closed without its data: with data.opsmcp missing, empty or of the wrong type every call is
# denied, and damaging any single part of the data (removing it, or giving it the wrong type) never makes a
# call more permissive than with the shipped data (allow > needs approval > deny).
package opsmcp.authz_test

import rego.v1

import data.opsmcp.authz

# One call down every path through the policy.
fc_samples := [
	read_call(alice_sre, checkout, health_tool),
	read_call(vera_viewer, sandbox_host, status_tool),
	read_call(vera_viewer, inventory, {"name": "host_list", "toolset": "system", "read_only": true, "destructive": false}),
	read_call(vera_viewer, runbook_resource, runbook_read),
	read_call(alice_sre, audit_resource, audit_read),
	read_call(alice_sre, approval_resource("dave"), approval_read),
	read_call(dave_sre, approval_resource("dave"), approval_read),
	change_call(alice_sre, sandbox_host, restart_tool, restart_change),
	change_call(alice_sre, checkout, memory_tool, memory_change),
	with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"approval": approval("alice", "approved", [bob_lead])}),
	with_keys(change_call(alice_sre, checkout, scale_tool, scale_to_zero), {"approval": approval("alice", "approved", [bob_lead, carol_lead])}),
	change_call(alice_sre, aws_in("staging", "222222222222", "eu-west-1"), memory_tool, memory_change),
	glass_call(checkout, memory_tool, memory_change, "checkout OOM-killed, INC-4711"),
]

strength(d) := 2 if allowed(d)

strength(d) := 1 if needs_approval(d)

strength(d) := 0 if {
	not allowed(d)
	not needs_approval(d)
}

# The shipped configuration, key by key (data.opsmcp also holds the policy's packages, which a test cannot
# replace or walk).
shipped := {
	"environments": data.opsmcp.environments,
	"unscoped": data.opsmcp.unscoped,
	"roles": data.opsmcp.roles,
	"break_glass": data.opsmcp.break_glass,
	"destructive": data.opsmcp.destructive,
	"circuit_breaker": data.opsmcp.circuit_breaker,
	"change_freezes": data.opsmcp.change_freezes,
}

# The decision under another configuration; a key missing from cfg is given as null (no value of its type).
decide_with(call, cfg) := d if {
	d := authz.decision with input as call
		with data.opsmcp.environments as object.get(cfg, "environments", null)
		with data.opsmcp.unscoped as object.get(cfg, "unscoped", null)
		with data.opsmcp.roles as object.get(cfg, "roles", null)
		with data.opsmcp.break_glass as object.get(cfg, "break_glass", null)
		with data.opsmcp.destructive as object.get(cfg, "destructive", null)
		with data.opsmcp.circuit_breaker as object.get(cfg, "circuit_breaker", null)
		with data.opsmcp.change_freezes as object.get(cfg, "change_freezes", null)
}

# Every key replaced by the same value: no data at all, or data of the wrong type throughout.
all_keys(v) := {k: v | some k, _ in shipped}

wrong_types := ["sre-lead", 7, true, [], {}, ["x"]]

test_without_data_every_call_is_denied if {
	every call in fc_samples {
		denied(decide_with(call, {}))
		every v in wrong_types {
			denied(decide_with(call, all_keys(v)))
		}
	}
}

test_without_data_the_reason_says_so if {
	d := decide_with(read_call(alice_sre, checkout, health_tool), {})
	has_reason(d, "data.opsmcp.roles is missing or not an object")
	has_reason(d, "data.opsmcp.environments must be an object")
}

# With the shipped data every sample is allowed or needs approval, so any damage that opened or loosened a
# path would show.
test_the_samples_are_allowed_or_need_approval_with_the_shipped_data if {
	strengths := {strength(decide(call)) | some call in fc_samples}
	strengths == {1, 2}
}

# Every path into data.opsmcp up to three levels deep (environments.prod.approval, roles.sre.read, …).
data_paths contains path if {
	walk(shipped, [path, _])
	count(path) >= 1
	count(path) <= 3
	every step in path {
		is_string(step)
	}
	not description_path(path)
}

description_path(path) if path[count(path) - 1] == "description"

json_pointer(path) := concat("/", array.concat([""], path))

damaged(path, value) := json.patch(shipped, [{"op": "replace", "path": json_pointer(path), "value": value}])

removed(path) := json.remove(shipped, [concat("/", path)])

not_weaker(call, cfg) if strength(decide_with(call, cfg)) <= strength(decide(call))

test_removing_any_part_of_the_data_never_opens_a_call if {
	count(data_paths) > 30
	every path in data_paths {
		every call in fc_samples {
			not_weaker(call, removed(path))
		}
	}
}

not_weaker_typed(value) if {
	every path in data_paths {
		every call in fc_samples {
			not_weaker(call, damaged(path, value))
		}
	}
}

test_any_part_of_the_data_given_as_a_string_never_opens_a_call if not_weaker_typed("x")

test_any_part_of_the_data_given_as_a_list_never_opens_a_call if not_weaker_typed([])

test_malformed_approval_rule_denies_instead_of_allowing if {
	d := decide_with(change_call(alice_sre, checkout, memory_tool, memory_change), damaged(["environments", "prod", "approval"], "required"))
	denied(d)
	has_reason(d, "the approval rule of environment prod")
}

test_malformed_min_approvals_denies if {
	cfg := damaged(["environments", "prod", "approval", "min_approvals"], "1")
	denied(decide_with(with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"approval": approval("alice", "approved", [bob_lead])}), cfg))
}

test_missing_circuit_breaker_denies_changes if {
	d := decide_with(change_call(alice_sre, sandbox_host, restart_tool, restart_change), removed(["circuit_breaker"]))
	denied(d)
	has_reason(d, "circuit_breaker.max_mutations_per_resource_per_hour must be a number")
}

test_malformed_freezes_deny_changes if {
	d := decide_with(change_call(alice_sre, sandbox_host, restart_tool, restart_change), damaged(["change_freezes"], {"name": "x"}))
	denied(d)
	has_reason(d, "change_freezes must be a list")
}

test_malformed_rank_puts_nothing_in_scope if {
	denied(decide_with(read_call(alice_sre, checkout, health_tool), damaged(["environments", "prod", "rank"], "3")))
}
