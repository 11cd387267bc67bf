# Environments come from data.json; a resource in no configured environment is out of scope.
package opsmcp.authz_test

import rego.v1

test_sandbox_account_in_eu_west_1_is_prod if {
	env_of(aws_in("sandbox", "123456789012", "eu-west-1")) == "prod"
}

test_account_matched_by_id_alone if {
	env_of(aws_in("123456789012", null, "eu-west-1")) == "prod"
}

test_sandbox_account_in_eu_central_1_is_staging if {
	env_of(aws_in("sandbox", "123456789012", "eu-central-1")) == "staging"
}

test_prod_account_any_region_is_prod if {
	env_of(aws_in("prod", "333333333333", "ap-southeast-2")) == "prod"
}

test_dev_account_is_dev if {
	env_of(aws_in("dev", "111111111111", "eu-central-1")) == "dev"
}

test_aws_region_not_configured_is_out_of_scope if {
	d := decide(read_call(alice_sre, aws_in("sandbox", "123456789012", "us-east-1"), health_tool))
	denied(d)
	has_reason(d, "ecs:service checkout (account sandbox, region us-east-1) is outside every configured environment (out of scope)")
}

test_unknown_aws_account_is_out_of_scope if {
	d := decide(read_call(alice_sre, aws_in("other", "999999999999", "eu-west-1"), health_tool))
	denied(d)
	has_reason(d, "out of scope")
}

test_gitlab_shop_checkout_is_prod if {
	env_of(gitlab_project("shop/checkout")) == "prod"
}

test_gitlab_platform_group_is_prod_at_any_depth if {
	env_of(gitlab_project("platform/infra/terraform")) == "prod"
}

test_gitlab_project_pattern_staging if {
	env_of(gitlab_project("shop/checkout-staging")) == "staging"
}

test_gitlab_project_pattern_dev if {
	env_of(gitlab_project("shop/checkout-dev")) == "dev"
}

test_gitlab_group_prefix_needs_a_slash if {
	d := decide(read_call(alice_sre, gitlab_project("platformer/tool"), health_tool))
	denied(d)
	has_reason(d, "(project platformer/tool) is outside every configured environment")
}

test_gitlab_unknown_project_is_out_of_scope if {
	d := decide(read_call(alice_sre, gitlab_project("marketing/site"), health_tool))
	denied(d)
	has_reason(d, "out of scope")
}

test_host_group_sandbox_is_dev if {
	env_of(sandbox_host) == "dev"
}

test_host_group_pattern_prod if {
	env_of(prod_host) == "prod"
}

test_unknown_host_group_is_out_of_scope if {
	d := decide(read_call(alice_sre, host("db-9", "legacy", null), status_tool))
	denied(d)
	has_reason(d, "host db-9 (host group legacy) is outside every configured environment (out of scope)")
}

test_declared_environment_stricter_than_data_wins if {
	env_of(host("sandbox", "sandbox", "prod")) == "prod"
}

test_declared_environment_without_data_match_is_out_of_scope if {
	d := decide(read_call(alice_sre, host("db-9", "legacy", "prod"), status_tool))
	denied(d)
	has_reason(d, "out of scope")
}

test_change_on_unscoped_resource_denied if {
	d := decide(change_call(alice_sre, inventory, restart_tool, restart_change))
	denied(d)
	has_reason(d, "only read-only calls are allowed on it (out of scope)")
}

test_change_out_of_scope_denied_even_with_approval if {
	call := with_keys(
		change_call(alice_sre, host("db-9", "legacy", null), restart_tool, restart_change),
		{"approval": approval("alice", "approved", [bob_lead])},
	)
	d := decide(call)
	denied(d)
	has_reason(d, "out of scope")
}

test_environment_ranks_are_distinct if {
	ranks := [e.rank | some e in data.opsmcp.environments]
	count({r | some r in ranks}) == count(ranks)
}
