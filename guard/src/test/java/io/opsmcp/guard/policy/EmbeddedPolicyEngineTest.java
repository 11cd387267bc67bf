package io.opsmcp.guard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The embedded engine on the shipped bundle, one test per rule family, with inputs as the guard builds them. */
class EmbeddedPolicyEngineTest {

    private static final EmbeddedPolicyEngine ENGINE = EmbeddedPolicyEngine.defaultBundle();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @Test
    void describesTheShippedBundleAndItsRevision() {
        assertThat(ENGINE.description())
                .isEqualTo("embedded (bundle classpath:opsmcp-bundle, revision opsmcp-default-1)");
    }

    @Test
    void readOnlyCallInProdIsAllowedForAnSre() {
        Decision d = ENGINE.decide(PolicyInputs.readCheckout().build());

        assertThat(d).isInstanceOf(Decision.Allow.class);
        assertThat(d.reasons()).containsExactly("read-only call on ecs:service checkout in prod allowed for alice");
    }

    @Test
    void readOnlyCallInProdIsDeniedForAViewer() {
        Decision d = ENGINE.decide(
                PolicyInputs.readCheckout().principal("vera", "viewer").build());

        assertThat(d).isEqualTo(new Decision.Deny(List.of("vera (roles: viewer) may not see prod resources")));
    }

    @Test
    void unknownPrincipalIsDenied() {
        Decision d = ENGINE.decide(
                PolicyInputs.readCheckout().principal("mallory", "intern").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons().get(0)).startsWith("mallory has no role the policy knows");
    }

    @Test
    void resourceOutsideEveryEnvironmentIsOutOfScope() {
        Decision d = ENGINE.decide(PolicyInputs.readCheckout()
                .awsResource("sandbox", "123456789012", "us-east-1", "checkout", "prod")
                .build());

        assertThat(d)
                .isEqualTo(new Decision.Deny(List.of("ecs:service checkout (account sandbox, region us-east-1)"
                        + " is outside every configured environment (out of scope)")));
    }

    @Test
    void devChangeByAnSreIsAllowedWithoutApproval() {
        Decision d = ENGINE.decide(PolicyInputs.restartOnSandboxHost().build());

        assertThat(d)
                .isEqualTo(new Decision.Allow(List.of("dev changes need no approval; allowed for alice (roles: sre)")));
    }

    @Test
    void stagingChangeNeedsOneApprovalAndAllowsSelfApproval() {
        Decision d = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .awsResource("staging", "222222222222", "eu-west-1", "checkout", "staging")
                .build());

        assertThat(d).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(((Decision.NeedsApproval) d).requirement())
                .isEqualTo(new ApprovalRequirement(1, List.of("sre", "sre-lead"), true, Duration.ofHours(1)));

        Decision selfApproved = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .awsResource("staging", "222222222222", "eu-west-1", "checkout", "staging")
                .approval("alice", "approved", "alice", "sre")
                .build());
        assertThat(selfApproved).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void prodChangeNeedsAnSreLeadAndNeverSelfApproval() {
        Decision d = ENGINE.decide(PolicyInputs.changeCheckoutMemory().build());

        assertThat(d)
                .isEqualTo(new Decision.NeedsApproval(
                        List.of("prod changes need 1 approval by a principal with role sre-lead; the requester may not"
                                + " approve their own change"),
                        new ApprovalRequirement(1, List.of("sre-lead"), false, Duration.ofMinutes(15))));

        Decision selfApproved = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .principal("alice", "sre-lead")
                .approval("alice", "approved", "alice", "sre-lead")
                .build());
        assertThat(selfApproved).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(selfApproved.reasons()).contains("alice cannot approve their own prod change");
    }

    @Test
    void prodChangeApprovedByAnSreLeadIsAllowed() {
        Decision d = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .approval("alice", "approved", "bob", "sre-lead")
                .build());

        assertThat(d)
                .isEqualTo(
                        new Decision.Allow(
                                List.of(
                                        "prod change to ecs:service checkout approved by bob (approval apr_01JD7XQ3M9V6K2N8P4R5T0W1Y2)")));
    }

    @Test
    void approvalByAPrincipalWithoutTheApproverRoleDoesNotCount() {
        Decision d = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .approval("alice", "approved", "dave", "sre")
                .build());

        assertThat(d).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(d.reasons()).contains("dave cannot approve: not one of the roles sre-lead");
    }

    @Test
    void scaleToZeroInProdNeedsTwoApprovals() {
        PolicyInputs call = PolicyInputs.changeCheckoutMemory()
                .tool("ecs_scale_service", "aws", false, false)
                .change("desiredCount 4 -> 0", "desiredCount", 4, 0);

        Decision d = ENGINE.decide(call.build());

        assertThat(d).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(((Decision.NeedsApproval) d).requirement().minApprovals()).isEqualTo(2);
        assertThat(d.reasons().get(0)).contains("scales to zero: desiredCount 4 -> 0");
    }

    @Test
    void circuitBreakerDeniesTheSixthChangeWithinAnHour() {
        Decision d =
                ENGINE.decide(PolicyInputs.restartOnSandboxHost().history(5).build());

        assertThat(d)
                .isEqualTo(new Decision.Deny(List.of("circuit breaker: host sandbox was already changed 5 times"
                        + " in the last hour (limit 5); wait before changing it again")));
        assertThat(ENGINE.decide(PolicyInputs.restartOnSandboxHost().history(4).build()))
                .isInstanceOf(Decision.Allow.class);
    }

    @Test
    void changeFreezeDeniesProdChangesEvenWhenApproved() {
        Decision d = ENGINE.decide(PolicyInputs.changeCheckoutMemory()
                .now("2025-12-24T12:00:00Z")
                .approval("alice", "approved", "bob", "sre-lead")
                .build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons().get(0)).startsWith("prod is in a change freeze (year-end freeze 2025)");
    }

    @Test
    void breakGlassNeedsAReasonAndThenSkipsApproval() {
        PolicyInputs call = PolicyInputs.changeCheckoutMemory().principal("gina", "break-glass");

        Decision withoutReason = ENGINE.decide(call.build());
        assertThat(withoutReason)
                .isEqualTo(new Decision.Deny(List.of("break-glass changes must say why: add"
                        + " break_glass_reason (at least 10 characters) to the arguments")));

        call.args().put("break_glass_reason", "checkout OOM-killed, INC-4711");
        Decision withReason = ENGINE.decide(call.build());
        assertThat(withReason).isInstanceOf(Decision.Allow.class);
        assertThat(withReason.reasons().get(0)).contains("reason: checkout OOM-killed, INC-4711");
    }

    @Test
    void inputThatIsNotAnObjectIsDeniedNotThrown() {
        JsonMapper json = JsonMapper.builder().build();

        assertThat(ENGINE.decide(json.readTree("[1, 2]"))).isInstanceOf(Decision.Deny.class);
        assertThat(ENGINE.decide(json.readTree("{}"))).isInstanceOf(Decision.Deny.class);
    }
}
