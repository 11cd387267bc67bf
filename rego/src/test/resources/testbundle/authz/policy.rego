package authz

default allow := false

allow if {
	some role in data.roles[input.user]
	role == "admin"
}

allow if {
	input.action == "read"
	input.user in data.authz.readers
}
