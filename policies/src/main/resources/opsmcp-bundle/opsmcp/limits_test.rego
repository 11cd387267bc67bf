# Circuit breaker (mutations per resource per hour) and change-freeze windows.
package opsmcp.authz_test

import rego.v1

limit := data.opsmcp.circuit_breaker.max_mutations_per_resource_per_hour

test_circuit_breaker_denies_at_the_limit if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"history": history(limit)})
	d := decide(call)
	denied(d)
	has_reason(d, sprintf("circuit breaker: host sandbox was already changed %v times in the last hour (limit %v)", [limit, limit]))
}

test_circuit_breaker_allows_below_the_limit if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"history": history(limit - 1)})
	allowed(decide(call))
}

test_circuit_breaker_denies_even_with_approval if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"history": history(limit + 3), "approval": approval("alice", "approved", [bob_lead])},
	)
	denied(decide(call))
}

test_circuit_breaker_ignores_reads if {
	call := with_keys(read_call(alice_sre, checkout, health_tool), {"history": history(limit * 10)})
	allowed(decide(call))
}

test_missing_history_denies_changes if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"history": {}})
	d := decide(call)
	denied(d)
	has_reason(d, "circuit breaker cannot be checked")
}

freeze := data.opsmcp.change_freezes[0]

test_freeze_denies_prod_change_even_with_approval if {
	call := with_keys(
		change_call(alice_sre, checkout, memory_tool, memory_change),
		{"now": "2025-12-24T12:00:00Z", "approval": approval("alice", "approved", [bob_lead])},
	)
	d := decide(call)
	denied(d)
	has_reason(d, sprintf("prod is in a change freeze (%v) from %v until %v: no prod changes", [freeze.name, freeze.start, freeze.end]))
}

test_freeze_starts_at_its_start if {
	call := with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"now": freeze.start})
	denied(decide(call))
}

test_freeze_is_over_at_its_end if {
	call := with_keys(change_call(alice_sre, checkout, memory_tool, memory_change), {"now": freeze.end})
	needs_approval(decide(call))
}

test_freeze_does_not_apply_to_staging if {
	call := with_keys(
		change_call(alice_sre, aws_in("staging", "222222222222", "eu-west-1"), memory_tool, memory_change),
		{"now": "2025-12-24T12:00:00Z"},
	)
	needs_approval(decide(call))
}

test_freeze_does_not_apply_to_reads if {
	call := with_keys(read_call(alice_sre, checkout, health_tool), {"now": "2025-12-24T12:00:00Z"})
	allowed(decide(call))
}

test_unparsable_now_denies_changes if {
	call := with_keys(change_call(alice_sre, sandbox_host, restart_tool, restart_change), {"now": "yesterday"})
	d := decide(call)
	denied(d)
	has_reason(d, "input.now is missing or not an RFC 3339 time")
}
