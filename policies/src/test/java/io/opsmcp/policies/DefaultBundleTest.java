package io.opsmcp.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.testing.TestRunner;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shipped bundle loads as an OPA bundle from the classpath and all its Rego tests pass. */
class DefaultBundleTest {

    private static final String FOLDER = "opsmcp-bundle";

    private final Bundle bundle = BundleLoader.fromClasspath(FOLDER, getClass().getClassLoader());

    @Test
    void everyRegoTestPasses() {
        TestRunner.Report report = TestRunner.run(bundle.modules(), bundle.data());

        assertThat(report.results()).as(report.render()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(report.failed()).as(report.render()).isZero();
    }

    @Test
    void manifestRootsCoverThePolicyAndItsData() {
        assertThat(bundle.roots()).containsExactly("opsmcp");
        assertThat(bundle.modules()).containsKey("opsmcp/authz.rego");
    }

    @Test
    void policyWithoutTestFilesDecidesTheArchitectureExample() {
        Map<String, String> policyOnly = new TreeMap<>(bundle.modules());
        policyOnly.keySet().removeIf(name -> name.endsWith("_test.rego"));
        JsonNode input = JsonMapper.builder().build().readTree("""
            {"principal": {"id": "alice", "roles": ["sre"], "auth": "local"},
             "tool": {"name": "ecs_update_service", "toolset": "aws", "read_only": false, "destructive": false},
             "resource": {"provider": "aws", "kind": "ecs:service", "environment": "prod",
                          "account": "123456789012", "region": "eu-west-1", "cluster": "shop", "name": "checkout"},
             "args": {}, "change": {"summary": "desiredCount 4 -> 3", "before": {"desiredCount": 4},
                                    "after": {"desiredCount": 3}},
             "approval": null, "history": {"actions_on_resource_last_hour": 0, "actions_by_principal_last_hour": 0},
             "now": "2026-11-21T10:00:00Z"}
            """);

        JsonNode decision = Rego.builder()
                .build(policyOnly, bundle.data())
                .evalRule("data.opsmcp.authz.decision", input)
                .orElseThrow();

        assertThat(decision.get("allow").asBoolean()).isFalse();
        assertThat(decision.at("/approval/required").asBoolean()).isTrue();
        assertThat(decision.at("/approval/min_approvals").asInt()).isEqualTo(1);
        assertThat(decision.at("/approval/approver_roles/0").asString()).isEqualTo("sre-lead");
        assertThat(decision.at("/approval/allow_self_approval").asBoolean()).isFalse();
        assertThat(decision.at("/reasons/0").asString()).startsWith("prod changes need 1 approval");
    }
}
