# Resource reads (input.action "resources/read") and completions ("completion/complete") are decided as reads of
# what they reveal: a host, service or project in its environment; the audit log and approvals only for roles
# whose views list them (an approval also for its requester); local documents for any known principal.
package opsmcp.authz_test

import rego.v1

mallory := {"id": "mallory", "roles": [], "auth": "api-key"}

test_audit_log_readable_by_sre if {
	allowed(decide(resource_read(alice_sre, audit_resource, "ops://audit/recent")))
}

test_audit_log_not_readable_by_viewer if {
	d := decide(resource_read(vera_viewer, audit_resource, "ops://audit/recent"))
	denied(d)
	has_reason(d, "vera (roles: viewer) may not read audit_log recent; that needs one of the roles break-glass, sre, sre-lead")
}

test_audit_log_not_readable_without_roles if {
	d := decide(resource_read(mallory, audit_resource, "ops://audit/recent"))
	denied(d)
	has_reason(d, "mallory has no role the policy knows")
}

test_audit_log_stays_restricted_when_data_calls_every_local_kind_unscoped if {
	d := decide(resource_read(vera_viewer, audit_resource, "ops://audit/recent")) with data.opsmcp.unscoped as [{"provider": "*", "kind": "*"}]
	denied(d)
}

test_approval_visible_to_its_requester if {
	allowed(decide(resource_read(vera_viewer, approval_resource("vera"), "ops://approvals/apr_TEST")))
}

test_approval_of_someone_else_not_visible_to_viewer if {
	denied(decide(resource_read(vera_viewer, approval_resource("dave"), "ops://approvals/apr_TEST")))
}

test_approval_visible_to_approver_roles if {
	allowed(decide(resource_read(bob_lead, approval_resource("dave"), "ops://approvals/apr_TEST")))
}

test_runbook_readable_by_any_known_principal if {
	allowed(decide(resource_read(vera_viewer, runbook_resource, "runbook://ecs-out-of-memory")))
}

test_runbook_not_readable_without_roles if {
	denied(decide(resource_read(mallory, runbook_resource, "runbook://ecs-out-of-memory")))
}

test_completion_of_prod_service_hidden_from_viewer if {
	denied(decide(completion(vera_viewer, checkout)))
}

test_completion_of_prod_service_shown_to_sre if {
	allowed(decide(completion(alice_sre, checkout)))
}

test_completion_of_dev_host_shown_to_viewer if {
	allowed(decide(completion(vera_viewer, sandbox_host)))
}

test_completion_of_prod_host_hidden_from_viewer if {
	denied(decide(completion(vera_viewer, prod_host)))
}

test_completion_denied_without_roles if {
	denied(decide(completion(mallory, sandbox_host)))
}

test_unknown_action_denied if {
	d := decide(with_keys(read_call(alice_sre, checkout, health_tool), {"action": "sampling/createMessage"}))
	denied(d)
	has_reason(d, "unknown action sampling/createMessage")
}

test_resource_read_is_never_a_change if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"action": "resources/read"})
	d := decide(call)
	denied(d)
	has_reason(d, "resources/read is always a read")
}

# Input fields that should be collections, given as strings (or objects), are no collection at all.
test_roles_as_a_string_are_no_roles if {
	d := decide(read_call({"id": "eve", "roles": "sre-lead", "auth": "api-key"}, checkout, health_tool))
	denied(d)
	has_reason(d, "eve has no role the policy knows")
}

test_roles_as_an_object_are_no_roles if {
	denied(decide(read_call({"id": "eve", "roles": {"sre-lead": true}, "auth": "api-key"}, checkout, health_tool)))
}

test_roles_as_a_string_cannot_change if {
	denied(decide(change_call({"id": "eve", "roles": "sre", "auth": "api-key"}, sandbox_host, restart_tool, restart_change)))
}

test_approvers_as_a_string_do_not_approve if {
	call := with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"approval": {
		"id": "apr_TEST", "status": "approved", "min_approvals": 1, "requester": "alice", "approvers": "bob",
	}})
	needs_approval(decide(call))
}

test_approver_roles_as_a_string_do_not_count if {
	call := with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"approval": approval("alice", "approved", [{"id": "bob", "roles": "sre-lead"}])})
	needs_approval(decide(call))
}

test_history_as_a_string_trips_the_breaker if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"history": {"actions_on_resource_last_hour": "0"}})
	denied(decide(call))
}
