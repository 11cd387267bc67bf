# Break-glass: no approval or freeze, but a reason on every change, carried into the (audited) reasons.
package opsmcp.authz_test

import rego.v1

test_break_glass_with_reason_skips_prod_approval if {
	d := decide(glass_call(checkout, memory_tool, memory_change, "checkout OOM-killed, INC-4711"))
	allowed(d)
	has_reason(d, "break-glass: gina changes ecs:service checkout in prod without approval or change freeze; reason: checkout OOM-killed, INC-4711")
	has_reason(d, "audited")
}

test_break_glass_with_reason_skips_destructive_approval if {
	allowed(decide(glass_call(checkout, scale_tool, scale_to_zero, "stop the bleeding, INC-4711")))
}

test_break_glass_without_reason_denied if {
	d := decide(change_call(gina_glass, checkout, memory_tool, memory_change))
	denied(d)
	has_reason(d, "break-glass changes must say why: add break_glass_reason (at least 10 characters) to the arguments")
}

test_break_glass_with_short_reason_denied if {
	denied(decide(glass_call(checkout, memory_tool, memory_change, "   oops   ")))
}

test_break_glass_reason_needed_in_dev_too if {
	denied(decide(change_call(gina_glass, sandbox_host, restart_tool, restart_change)))
}

test_break_glass_skips_the_freeze if {
	call := with_keys(glass_call(checkout, memory_tool, memory_change, "checkout down during freeze"), {"now": "2025-12-24T12:00:00Z"})
	allowed(decide(call))
}

test_break_glass_stays_in_scope if {
	d := decide(glass_call(aws_in("other", "999999999999", "eu-west-1"), memory_tool, memory_change, "checkout down, INC-4711"))
	denied(d)
	has_reason(d, "out of scope")
}

test_break_glass_keeps_the_circuit_breaker if {
	call := with_keys(glass_call(checkout, memory_tool, memory_change, "checkout down, INC-4711"), {"history": history(limit)})
	denied(decide(call))
}

test_break_glass_reads_need_no_reason if {
	allowed(decide(read_call(gina_glass, checkout, health_tool)))
}
