package authz

test_admin_allowed if allow with input as {"user": "alice", "action": "delete"}

test_reader_can_read if allow with input as {"user": "bob", "action": "read"}

test_reader_cannot_delete if not allow with input as {"user": "bob", "action": "delete"}

test_wrong_expectation if allow with input as {"user": "bob", "action": "delete"}

test_mocked_roles if allow with input as {"user": "carol", "action": "x"} with data.roles as {"carol": ["admin"]}
