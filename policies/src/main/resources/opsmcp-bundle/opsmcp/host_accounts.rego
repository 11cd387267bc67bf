# Local accounts on hosts (resource kind host:account, from host_account_unlock and host_account_expire): changes
# to who can log in. They are scoped, approved and rate-limited like every host change (authz.rego); this file adds
# what is particular to accounts, as deny reasons only, so it can never allow anything:
#   - accounts listed in data.opsmcp.host_accounts.protected_names (globs) are never changed through a tool;
#   - nobody changes their own account (a locked-out user asking the assistant to let them back in is exactly the
#     call to stop): the account equals the principal id, or its part before "@";
#   - without well-formed host_accounts data, or without resource.account, account changes are denied.
# Expiring an account is destructive (the tool says so), so prod needs destructive_approval: 2 sre-leads.
package opsmcp.authz

import rego.v1

host_account_change if {
	input.resource.provider == "host"
	input.resource.kind == "host:account"
	mutation
}

host_account := input.resource.account if {
	is_string(input.resource.account)
	input.resource.account != ""
}

host_accounts_data_ok if {
	is_object(data.opsmcp.host_accounts)
	is_array(data.opsmcp.host_accounts.protected_names)
	every n in data.opsmcp.host_accounts.protected_names {
		is_string(n)
	}
}

deny contains msg if {
	known_principal
	host_account_change
	not host_accounts_data_ok
	msg := "the policy data is missing or malformed: host_accounts.protected_names must be a list of user name globs; host account changes are refused"
}

deny contains msg if {
	known_principal
	host_account_change
	not host_account
	msg := sprintf("%v names no account (resource.account); host account changes are refused", [resource_label])
}

deny contains msg if {
	known_principal
	host_account_change
	host_accounts_data_ok
	some pattern in data.opsmcp.host_accounts.protected_names
	glob.match(pattern, [], host_account)
	msg := sprintf("account %v on %v is protected (host_accounts.protected_names %v): it is never changed through a tool", [host_account, input.resource.name, pattern])
}

deny contains msg if {
	known_principal
	host_account_change
	own_account
	msg := sprintf("%v may not change their own account %v on %v; another operator must do it", [who, host_account, input.resource.name])
}

own_account if host_account == principal_id

own_account if {
	contains(principal_id, "@")
	host_account == split(principal_id, "@")[0]
}
