# Read-only tools: allowed to any known principal in the environments its roles may see.
package opsmcp.authz_test

import rego.v1

test_read_in_prod_allowed_for_sre if {
	d := decide(read_call(alice_sre, checkout, health_tool))
	allowed(d)
	has_reason(d, "read-only call on ecs:service checkout in prod allowed for alice")
}

test_read_in_dev_allowed_for_viewer if {
	allowed(decide(read_call(vera_viewer, sandbox_host, status_tool)))
}

test_read_in_staging_allowed_for_viewer if {
	allowed(decide(read_call(vera_viewer, aws_in("staging", "222222222222", "eu-west-1"), health_tool)))
}

test_read_in_prod_denied_for_viewer if {
	d := decide(read_call(vera_viewer, checkout, health_tool))
	denied(d)
	has_reason(d, "vera (roles: viewer) may not see prod resources")
}

test_read_denied_for_principal_without_known_role if {
	d := decide(read_call({"id": "mallory", "roles": ["intern"], "auth": "api-key"}, checkout, health_tool))
	denied(d)
	has_reason(d, "mallory has no role the policy knows")
}

test_read_denied_for_principal_without_roles if {
	d := decide(read_call({"id": "mallory", "roles": [], "auth": "api-key"}, sandbox_host, status_tool))
	denied(d)
	has_reason(d, "roles: none")
}

test_read_denied_without_principal_id if {
	d := decide(read_call({"id": "", "roles": ["sre"], "auth": "local"}, checkout, health_tool))
	denied(d)
	has_reason(d, "no principal id")
}

test_read_of_unscoped_inventory_allowed if {
	d := decide(read_call(vera_viewer, inventory, {"name": "host_list", "toolset": "system", "read_only": true, "destructive": false}))
	allowed(d)
	has_reason(d, "in no environment")
}

test_tool_without_read_only_flag_is_treated_as_a_change if {
	tool := {"name": "mystery", "toolset": "aws", "destructive": false}
	needs_approval(decide(read_call(alice_sre, checkout, tool)))
}
