# `every` over a value that is not a collection (string, number, boolean, null) is undefined, never
# vacuously true: a rule such as `allow if { every r in input.roles { ... } }` must not allow when a
# caller sends `roles` as a string. Same semantics as OPA.
package opsmcp.every_test

import rego.v1

all_admin if {
	every r in input.roles {
		r == "admin"
	}
}

only_admins(roles) if {
	every r in roles {
		r == "admin"
	}
}

test_every_over_a_string_input_is_undefined if {
	not all_admin with input as {"roles": "admin"}
}

test_every_over_an_empty_string_is_undefined if {
	not all_admin with input as {"roles": ""}
}

test_every_over_scalars_is_undefined if {
	not only_admins("admin")
	not only_admins(42)
	not only_admins(true)
	not only_admins(null)
}

test_every_over_a_missing_domain_is_undefined if {
	not all_admin with input as {}
}

test_every_over_collections_checks_each_member if {
	all_admin with input as {"roles": ["admin"]}
	not all_admin with input as {"roles": ["admin", "dev"]}
	only_admins({"admin"})
	only_admins({"x": "admin"})
	not only_admins({"x": "dev"})
}

test_every_over_an_empty_collection_is_true if {
	only_admins([])
	only_admins(set())
	only_admins({})
}
