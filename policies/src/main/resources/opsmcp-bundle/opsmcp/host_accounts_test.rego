# Local accounts on hosts (host_accounts.rego): scoped and approved like host changes, expiry destructive,
# protected names and one's own account refused, and no data means no account changes.
package opsmcp.authz_test

import rego.v1

import data.opsmcp.authz

account_on(h, user) := object.union(h, {"kind": "host:account", "account": user})

unlock_tool := {"name": "host_account_unlock", "toolset": "hosts", "read_only": false, "destructive": false}

expire_tool := {"name": "host_account_expire", "toolset": "hosts", "read_only": false, "destructive": true}

account_status_tool := {"name": "host_account_status", "toolset": "hosts", "read_only": true, "destructive": false}

unlock_change(user) := {"summary": sprintf("unlock account %v", [user]), "before": null, "after": {"account": user, "password": "usable", "failures": 0}}

expire_change(user) := {"summary": sprintf("expire account %v now", [user]), "before": null, "after": {"account": user, "password": "locked"}}

staging_host := host("app-2", "staging-app", "staging")

test_account_status_is_a_host_read if {
	allowed(decide(read_call(vera_viewer, account_on(sandbox_host, "jdoe"), account_status_tool)))
	allowed(decide(read_call(alice_sre, account_on(prod_host, "root"), account_status_tool)))
	denied(decide(read_call(vera_viewer, account_on(prod_host, "jdoe"), account_status_tool)))
}

test_unlock_in_dev_needs_no_approval if {
	allowed(decide(change_call(alice_sre, account_on(sandbox_host, "jdoe"), unlock_tool, unlock_change("jdoe"))))
}

test_unlock_in_staging_and_prod_needs_approval if {
	d := decide(change_call(alice_sre, account_on(staging_host, "jdoe"), unlock_tool, unlock_change("jdoe")))
	needs_approval(d)
	d.approval.min_approvals == 1
	p := decide(change_call(alice_sre, account_on(prod_host, "jdoe"), unlock_tool, unlock_change("jdoe")))
	needs_approval(p)
	p.approval.approver_roles == ["sre-lead"]
	p.approval.allow_self_approval == false
}

test_expire_in_prod_is_destructive_and_needs_two_leads if {
	d := decide(change_call(alice_sre, account_on(prod_host, "jdoe"), expire_tool, expire_change("jdoe")))
	needs_approval(d)
	d.approval.min_approvals == 2
	has_reason(d, "host_account_expire is marked destructive")
	has_reason(d, "host:account web-1")
	approved := with_keys(
		change_call(alice_sre, account_on(prod_host, "jdoe"), expire_tool, expire_change("jdoe")),
		{"approval": approval("alice", "approved", [bob_lead, carol_lead])},
	)
	allowed(decide(approved))
}

test_protected_accounts_are_never_changed if {
	some user in ["root", "ansible", "ops-mcp"]
	some tool in [unlock_tool, expire_tool]
	d := decide(change_call(alice_sre, account_on(sandbox_host, user), tool, unlock_change(user)))
	denied(d)
	has_reason(d, sprintf("account %v on sandbox is protected", [user]))
}

test_every_protected_account_is_refused_for_every_tool_even_with_break_glass_or_approval if {
	every user in ["root", "ansible", "ops-mcp"] {
		every tool in [unlock_tool, expire_tool] {
			denied(decide(with_keys(
				change_call(alice_sre, account_on(prod_host, user), tool, unlock_change(user)),
				{"approval": approval("alice", "approved", [bob_lead, carol_lead])},
			)))
			denied(decide(with_keys(
				change_call(gina_glass, account_on(prod_host, user), tool, unlock_change(user)),
				{"args": {"user": user, "break_glass_reason": "incident INC-4711, user locked out"}},
			)))
		}
	}
}

test_protected_names_are_globs if {
	d := decide(change_call(alice_sre, account_on(sandbox_host, "svc-backup"), unlock_tool, unlock_change("svc-backup"))) with data.opsmcp.host_accounts.protected_names as ["root", "svc-*"]
	denied(d)
	has_reason(d, "host_accounts.protected_names svc-*")
	other := decide(change_call(alice_sre, account_on(sandbox_host, "jdoe"), unlock_tool, unlock_change("jdoe"))) with data.opsmcp.host_accounts.protected_names as ["root", "svc-*"]
	allowed(other)
}

test_nobody_unlocks_their_own_account if {
	d := decide(change_call(alice_sre, account_on(sandbox_host, "alice"), unlock_tool, unlock_change("alice")))
	denied(d)
	has_reason(d, "alice may not change their own account alice on sandbox")
	email := object.union(alice_sre, {"id": "alice@example.com"})
	denied(decide(change_call(email, account_on(sandbox_host, "alice"), unlock_tool, unlock_change("alice"))))
	denied(decide(with_keys(
		change_call(alice_sre, account_on(prod_host, "alice"), unlock_tool, unlock_change("alice")),
		{"approval": approval("alice", "approved", [bob_lead])},
	)))
	# someone else may
	allowed(decide(change_call(dave_sre, account_on(sandbox_host, "alice"), unlock_tool, unlock_change("alice"))))
}

test_an_account_change_without_an_account_is_denied if {
	no_account := object.union(sandbox_host, {"kind": "host:account"})
	d := decide(change_call(alice_sre, no_account, unlock_tool, unlock_change("")))
	denied(d)
	has_reason(d, "names no account")
	denied(decide(change_call(alice_sre, account_on(sandbox_host, ""), unlock_tool, unlock_change(""))))
}

# Fail closed: host_accounts removed or of the wrong type denies account changes, and never makes any sampled call
# (account changes, or any other call) more permissive than with the shipped data.
test_host_accounts_data_missing_or_malformed_denies_account_changes if {
	every bad in [null, "root", [], {}, {"protected_names": "root"}, {"protected_names": [1]}] {
		d := decide(change_call(alice_sre, account_on(sandbox_host, "jdoe"), unlock_tool, unlock_change("jdoe"))) with data.opsmcp.host_accounts as bad
		denied(d)
		has_reason(d, "host_accounts.protected_names must be a list")
	}
}

test_host_accounts_data_never_matters_to_other_calls if {
	every bad in [null, "root", []] {
		restart := decide(change_call(alice_sre, sandbox_host, restart_tool, restart_change)) with data.opsmcp.host_accounts as bad
		allowed(restart)
		status := decide(read_call(vera_viewer, account_on(sandbox_host, "jdoe"), account_status_tool)) with data.opsmcp.host_accounts as bad
		allowed(status)
	}
}
