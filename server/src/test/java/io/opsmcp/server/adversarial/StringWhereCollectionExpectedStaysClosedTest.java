package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyEngines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Rego engine once treated {@code every} over a non-collection as true (OPA: undefined). Whatever the engine
 * does there, the shipped bundle must stay closed when an input field that should be a collection is a string:
 * principal roles {@code "sre-lead"}, approvers {@code "bob"}, an approver's roles {@code "sre-lead"}. Decided by
 * the engine the guard uses (the shipped bundle, embedded) and mapped as the guard maps it.
 */
class StringWhereCollectionExpectedStaysClosedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static ObjectNode call(boolean readOnly) {
        return (ObjectNode) JSON.readTree("""
                {"action": "tools/call", "principal": {"id": "eve", "roles": ["sre"], "auth": "api-key"},
                 "tool": {"name": "ecs_update_task_resources", "toolset": "aws", "read_only": %s, "destructive": false},
                 "resource": {"provider": "aws", "kind": "ecs:service", "environment": "prod", "account": "sandbox",
                              "account_id": "123456789012", "region": "eu-west-1", "cluster": "shop", "name": "checkout"},
                 "args": {"cluster": "shop", "service": "checkout", "memory": 1024},
                 "change": {"summary": "memory 512 -> 1024", "before": {"memory": 512}, "after": {"memory": 1024}},
                 "approval": null,
                 "history": {"actions_on_resource_last_hour": 0, "actions_by_principal_last_hour": 0},
                 "now": "2026-11-21T10:00:00Z"}
                """.formatted(readOnly));
    }

    @Test
    void stringsWhereCollectionsBelongNeverAllow() {
        try (PolicyEngine engine = PolicyEngines.create(JSON.readTree("{}"), dir)) {
            ObjectNode rolesAsString = call(true);
            ((ObjectNode) rolesAsString.get("principal")).put("roles", "sre-lead");
            assertThat(engine.decide(rolesAsString)).isInstanceOf(Decision.Deny.class);

            ObjectNode rolesAsStringChange = call(false);
            ((ObjectNode) rolesAsStringChange.get("principal")).put("roles", "sre-lead");
            assertThat(engine.decide(rolesAsStringChange)).isInstanceOf(Decision.Deny.class);

            ObjectNode rolesAsObject = call(true);
            ((ObjectNode) rolesAsObject.get("principal")).putObject("roles").put("sre-lead", true);
            assertThat(engine.decide(rolesAsObject)).isInstanceOf(Decision.Deny.class);

            for (String approval : List.of(
                    "{\"id\": \"apr_x\", \"status\": \"approved\", \"min_approvals\": 1, \"requester\": \"eve\", \"approvers\": \"bob\"}",
                    "{\"id\": \"apr_x\", \"status\": \"approved\", \"min_approvals\": 1, \"requester\": \"eve\","
                            + " \"approvers\": [{\"id\": \"bob\", \"roles\": \"sre-lead\"}]}",
                    "{\"id\": \"apr_x\", \"status\": \"approved\", \"min_approvals\": 1, \"requester\": \"eve\","
                            + " \"approvers\": {\"id\": \"bob\", \"roles\": [\"sre-lead\"]}}")) {
                ObjectNode approved = call(false);
                approved.set("approval", JSON.readTree(approval));
                Decision d = engine.decide(approved);
                assertThat(d).as(approval).isNotInstanceOf(Decision.Allow.class);
            }
            // The same call with well-formed collections is allowed: the strings above are what closed it.
            ObjectNode wellFormed = call(false);
            wellFormed.set(
                    "approval",
                    JSON.readTree(
                            "{\"id\": \"apr_x\", \"status\": \"approved\", \"min_approvals\": 1,"
                                    + " \"requester\": \"eve\", \"approvers\": [{\"id\": \"bob\", \"roles\": [\"sre-lead\"]}]}"));
            assertThat(engine.decide(wellFormed)).isInstanceOf(Decision.Allow.class);
        }
    }
}
