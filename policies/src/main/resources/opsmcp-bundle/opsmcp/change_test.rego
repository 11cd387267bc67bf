# Changes: dev needs no approval for sre; staging one approval (self allowed); prod one sre-lead approval
# (never self); destructive prod changes two.
package opsmcp.authz_test

import rego.v1

test_dev_change_allowed_for_sre if {
	d := decide(change_call(alice_sre, sandbox_host, restart_tool, restart_change))
	allowed(d)
	has_reason(d, "dev changes need no approval; allowed for alice (roles: sre)")
}

test_dev_change_denied_for_viewer if {
	d := decide(change_call(vera_viewer, sandbox_host, restart_tool, restart_change))
	denied(d)
	has_reason(d, "vera (roles: viewer) may not change dev resources; that needs one of the roles break-glass, sre, sre-lead")
}

test_dev_destructive_change_needs_no_approval if {
	allowed(decide(change_call(alice_sre, aws_in("dev", "111111111111", "eu-west-1"), scale_tool, scale_to_zero)))
}

test_staging_change_needs_one_approval_self_allowed if {
	d := decide(change_call(alice_sre, aws_in("staging", "222222222222", "eu-west-1"), memory_tool, memory_change))
	needs_approval(d)
	d.approval == {
		"required": true, "min_approvals": 1, "approver_roles": ["sre", "sre-lead"],
		"allow_self_approval": true, "ttl_seconds": 3600,
	}
	has_reason(d, "staging changes need 1 approval by a principal with role sre or sre-lead; the requester may approve their own change")
}

test_staging_change_self_approved_is_allowed if {
	call := with_keys(
		change_call(alice_sre, aws_in("staging", "222222222222", "eu-west-1"), memory_tool, memory_change),
		{"approval": approval("alice", "approved", [alice_sre])},
	)
	d := decide(call)
	allowed(d)
	has_reason(d, "approved by alice (approval apr_TEST)")
}

test_prod_change_needs_one_sre_lead_never_self if {
	d := decide(change_call(alice_sre, checkout, memory_tool, memory_change))
	needs_approval(d)
	d.approval == {
		"required": true, "min_approvals": 1, "approver_roles": ["sre-lead"],
		"allow_self_approval": false, "ttl_seconds": 900,
	}
	d.reasons == ["prod changes need 1 approval by a principal with role sre-lead; the requester may not approve their own change"]
}

test_prod_change_approved_by_sre_lead_is_allowed if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"approval": approval("alice", "approved", [bob_lead])},
	)
	d := decide(call)
	allowed(d)
	d.reasons == ["prod change to ecs:service checkout approved by bob (approval apr_TEST)"]
}

test_prod_self_approval_does_not_count if {
	call := with_keys(
		change_call(alice_lead, checkout, memory_tool, memory_change),
		{"approval": approval("alice", "approved", [alice_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "alice cannot approve their own prod change")
	has_reason(d, "approval apr_TEST has 0 of the 1 approvals needed")
}

test_prod_approval_without_approver_role_does_not_count if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"approval": approval("alice", "approved", [dave_sre])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "dave cannot approve: not one of the roles sre-lead")
}

test_pending_approval_does_not_allow if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"approval": approval("alice", "pending", [bob_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "approval apr_TEST is pending, not approved")
}

test_approval_of_another_requester_does_not_allow if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"approval": approval("dave", "approved", [bob_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "approval apr_TEST was requested by dave, not by alice")
}

test_prod_destructive_flag_needs_two_approvals if {
	tool := {"name": "ecs_stop_task", "toolset": "aws", "read_only": false, "destructive": true}
	d := decide(change_call(alice_sre, checkout, tool, {"summary": "stop task", "before": {}, "after": {}}))
	needs_approval(d)
	d.approval.min_approvals == 2
	d.approval.approver_roles == ["sre-lead"]
	d.approval.allow_self_approval == false
	has_reason(d, "destructive prod change to ecs:service checkout (ecs_stop_task is marked destructive) needs 2 approvals")
}

test_prod_scale_to_zero_needs_two_approvals if {
	d := decide(change_call(alice_sre, checkout, scale_tool, scale_to_zero))
	needs_approval(d)
	d.approval.min_approvals == 2
	has_reason(d, "scales to zero: desiredCount 4 -> 0")
}

test_prod_scale_to_non_zero_needs_one_approval if {
	change := {"summary": "desiredCount 4 -> 2", "before": {"desiredCount": 4}, "after": {"desiredCount": 2}}
	d := decide(change_call(alice_sre, checkout, scale_tool, change))
	d.approval.min_approvals == 1
}

test_prod_cancel_by_tool_name_needs_two_approvals if {
	tool := {"name": "gitlab_cancel_pipeline", "toolset": "gitlab", "read_only": false, "destructive": false}
	d := decide(change_call(alice_sre, gitlab_project("shop/checkout"), tool, {"summary": "cancel pipeline 1042", "before": {}, "after": {}}))
	d.approval.min_approvals == 2
	has_reason(d, "gitlab_cancel_pipeline deletes, cancels or terminates")
}

test_prod_destructive_command_class_needs_two_approvals if {
	tool := {"name": "host_exec", "toolset": "system", "read_only": false, "destructive": false}
	call := with_keys(
		change_call(alice_sre, prod_host, tool, {"summary": "rm -rf /var/cache/app", "before": {}, "after": {}}),
		{
			"args": {"host": "web-1", "command": "rm -rf /var/cache/app"},
			"facts": {"command_class": "destructive"},
		},
	)
	d := decide(call)
	d.approval.min_approvals == 2
	has_reason(d, "the command is classed destructive")
}

# The class is the tool's own analysis (input.facts); a caller's argument of the same name is not believed.
test_command_class_from_the_arguments_is_ignored if {
	tool := {"name": "host_exec", "toolset": "system", "read_only": false, "destructive": false}
	call := with_keys(
		change_call(alice_sre, prod_host, tool, {"summary": "rm -rf /var/cache/app", "before": {}, "after": {}}),
		{
			"args": {"host": "web-1", "command": "rm -rf /var/cache/app", "command_class": "destructive"},
			"facts": {"command_class": "read"},
		},
	)
	d := decide(call)
	not has_reason(d, "the command is classed destructive")
}

test_prod_destructive_with_one_approver_still_needs_approval if {
	call := with_keys(
		change_call(alice_sre, checkout, scale_tool, scale_to_zero),
		{"approval": approval("alice", "approved", [bob_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "approval apr_TEST has 1 of the 2 approvals needed")
}

test_prod_destructive_with_two_approvers_is_allowed if {
	call := with_keys(
		change_call(alice_sre, checkout, scale_tool, scale_to_zero),
		{"approval": approval("alice", "approved", [bob_lead, carol_lead])},
	)
	d := decide(call)
	allowed(d)
	has_reason(d, "approved by bob, carol")
}

test_same_approver_twice_counts_once if {
	call := with_keys(
		change_call(alice_sre, checkout, scale_tool, scale_to_zero),
		{"approval": approval("alice", "approved", [bob_lead, bob_lead])},
	)
	needs_approval(decide(call))
}
