# Access changes (data.opsmcp.access_kinds: IAM users and access keys) are decided by the environment's
# access_approval: two sre-leads in prod, never the requester, whether or not the change is destructive; other
# environments have no such rule and decide them like any change. Reads of them are ordinary reads.
package opsmcp.authz_test

import rego.v1

leaked_key := {
	"provider": "aws", "kind": "iam:access-key", "environment": "prod", "account": "sandbox",
	"account_id": "123456789012", "region": "eu-west-1", "user_name": "deploy-bot",
	"access_key": "AKIA…K3D7", "name": "AKIA…K3D7",
}

maria := {
	"provider": "aws", "kind": "iam:user", "environment": "prod", "account": "sandbox",
	"account_id": "123456789012", "region": "eu-west-1", "user_name": "maria", "name": "maria",
}

iam_in(kind, account, account_id, name) := {
	"provider": "aws", "kind": kind, "environment": null, "account": account, "account_id": account_id,
	"region": "eu-west-1", "user_name": name, "name": name,
}

deactivate_tool := {"name": "iam_deactivate_access_key", "toolset": "aws", "read_only": false, "destructive": false}

delete_key_tool := {"name": "iam_delete_access_key", "toolset": "aws", "read_only": false, "destructive": true}

reset_tool := {"name": "iam_reset_console_password", "toolset": "aws", "read_only": false, "destructive": false}

user_access_tool := {"name": "iam_user_access", "toolset": "aws", "read_only": true, "destructive": false}

deactivate_change := {
	"summary": "deactivate access key AKIA…K3D7 of IAM user deploy-bot (Active -> Inactive)",
	"before": {"status": "Active"}, "after": {"status": "Inactive"},
}

reset_change := {
	"summary": "set a new generated console password for IAM user maria", "before": {"password_reset_required": false},
	"after": {"password_reset_required": true},
}

two_leads := {"min_approvals": 2, "approver_roles": ["sre-lead"], "allow_self_approval": false, "ttl_seconds": 900}

test_prod_key_deactivation_needs_two_sre_leads if {
	d := decide(change_call(alice_sre, leaked_key, deactivate_tool, deactivate_change))
	needs_approval(d)
	d.approval == object.union({"required": true}, two_leads)
	d.reasons == ["prod access change to iam:access-key AKIA…K3D7 needs 2 approvals by distinct principals with role sre-lead; the requester may not approve their own change"]
}

test_prod_password_reset_is_an_access_change_too if {
	d := decide(change_call(alice_sre, maria, reset_tool, reset_change))
	needs_approval(d)
	d.approval.min_approvals == 2
	has_reason(d, "prod access change to iam:user maria needs 2 approvals")
}

test_one_approval_is_not_enough_for_an_access_change if {
	call := with_keys(
		change_call(alice_sre, leaked_key, deactivate_tool, deactivate_change),
		{"approval": approval("alice", "approved", [bob_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "approval apr_TEST has 1 of the 2 approvals needed")
}

test_two_sre_leads_allow_the_access_change if {
	call := with_keys(
		change_call(alice_sre, leaked_key, deactivate_tool, deactivate_change),
		{"approval": approval("alice", "approved", [bob_lead, carol_lead])},
	)
	d := decide(call)
	allowed(d)
	d.reasons == ["prod change to iam:access-key AKIA…K3D7 approved by bob, carol (approval apr_TEST)"]
}

test_the_requester_does_not_count_among_the_two if {
	call := with_keys(
		change_call(alice_lead, leaked_key, deactivate_tool, deactivate_change),
		{"approval": approval("alice", "approved", [alice_lead, bob_lead])},
	)
	d := decide(call)
	needs_approval(d)
	has_reason(d, "alice cannot approve their own prod change")
}

test_a_destructive_access_change_says_why_and_needs_the_access_rule if {
	d := decide(change_call(alice_sre, leaked_key, delete_key_tool, deactivate_change))
	needs_approval(d)
	d.approval.min_approvals == 2
	has_reason(d, "prod access change to iam:access-key AKIA…K3D7 (destructive: iam_delete_access_key deletes, cancels or terminates; iam_delete_access_key is marked destructive) needs 2 approvals")
}

test_staging_access_change_follows_the_staging_rule if {
	d := decide(change_call(alice_sre, iam_in("iam:user", "staging", "222222222222", "maria"), reset_tool, reset_change))
	needs_approval(d)
	d.approval.min_approvals == 1
	d.approval.allow_self_approval == true
}

test_dev_access_change_needs_no_approval if {
	allowed(decide(change_call(alice_sre, iam_in("iam:access-key", "dev", "111111111111", "deploy-bot"), deactivate_tool, deactivate_change)))
}

test_reading_a_prod_user_is_an_ordinary_read if {
	allowed(decide(read_call(alice_sre, maria, user_access_tool)))
	denied(decide(read_call(vera_viewer, maria, user_access_tool)))
}

test_an_ecs_change_in_prod_still_needs_one_approval if {
	d := decide(change_call(alice_sre, checkout, memory_tool, memory_change))
	d.approval.min_approvals == 1
}

test_without_access_kinds_iam_changes_are_ordinary_changes if {
	d := data.opsmcp.authz.decision with input as change_call(alice_sre, leaked_key, deactivate_tool, deactivate_change)
		with data.opsmcp.access_kinds as []
	needs_approval(d)
	d.approval.min_approvals == 1
}

test_malformed_access_kinds_refuse_every_change if {
	d := data.opsmcp.authz.decision with input as change_call(alice_sre, checkout, memory_tool, memory_change)
		with data.opsmcp.access_kinds as "iam:user"
	denied(d)
	has_reason(d, "access_kinds must be a list of resource kinds; changes are refused")
}

test_a_malformed_access_rule_refuses_rather_than_falling_back if {
	d := data.opsmcp.authz.decision with input as change_call(alice_sre, leaked_key, deactivate_tool, deactivate_change)
		with data.opsmcp.environments.prod.access_approval as "two"
	denied(d)
	has_reason(d, "the approval rule of environment prod must be null or")
}

test_break_glass_with_reason_skips_the_access_rule if {
	allowed(decide(glass_call(leaked_key, deactivate_tool, deactivate_change, "key on pastebin, INC-4712")))
}
