# Every decision has the documented shape, and every deny or approval requirement gives a reason.
package opsmcp.authz_test

import rego.v1

samples := [
	read_call(alice_sre, checkout, health_tool),
	read_call(vera_viewer, checkout, health_tool),
	read_call({"id": "x", "roles": [], "auth": "local"}, checkout, health_tool),
	change_call(alice_sre, checkout, memory_tool, memory_change),
	change_call(alice_sre, checkout, scale_tool, scale_to_zero),
	change_call(alice_sre, sandbox_host, restart_tool, restart_change),
	change_call(gina_glass, checkout, memory_tool, memory_change),
	with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"approval": approval("alice", "approved", [bob_lead])}),
	{},
]

valid(d) if {
	is_boolean(d.allow)
	is_array(d.reasons)
	every r in d.reasons {
		is_string(r)
		r != ""
	}
	is_boolean(d.approval.required)
	valid_approval(d)
	reasons_when_needed(d)
}

valid_approval(d) if d.approval == {"required": false}

valid_approval(d) if {
	d.approval.required == true
	d.allow == false
	is_number(d.approval.min_approvals)
	d.approval.min_approvals >= 1
	is_array(d.approval.approver_roles)
	is_boolean(d.approval.allow_self_approval)
	d.approval.ttl_seconds > 0
}

reasons_when_needed(d) if d.allow == true

reasons_when_needed(d) if count(d.reasons) > 0

test_every_sample_decision_has_the_documented_shape if {
	every call in samples {
		valid(decide(call))
	}
}

test_empty_input_is_denied if {
	d := decide({})
	denied(d)
	has_reason(d, "no principal id")
}
