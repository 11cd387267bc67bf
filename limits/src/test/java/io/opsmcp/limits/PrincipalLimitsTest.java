package io.opsmcp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.gateway.CallAdmission;
import io.opsmcp.guard.gateway.CallAdmission.Admission;
import io.opsmcp.guard.gateway.CallAdmission.Permit;
import io.opsmcp.guard.gateway.CallAdmission.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PrincipalLimitsTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Principal BOT = new Principal("ci-bot", Set.of("deployer"), "api-key");
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "api-key");

    /** The limiters' monotonic clock, moved by the test: no sleeping, no timing. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private PrincipalLimits limits(String yaml) {
        return limits(yaml, PrincipalLimits.MAX_PRINCIPALS);
    }

    private PrincipalLimits limits(String yaml, int maxPrincipals) {
        JsonNode root = YAML.readTree(yaml);
        return new PrincipalLimits(RateLimitRule.fromConfig(root), nanos::get, maxPrincipals);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aBurstOverTheRateIsRefusedWithTheRuleTheLimitAndWhenToRetry() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: [ecs_*]
                    calls: 3
                    per: 1m
                """);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit("ecs_service_update", BOT)).isInstanceOf(Permit.class);
        }
        advance(Duration.ofSeconds(48));
        Admission fourth = limits.admit("ecs_task_list", BOT);

        assertThat(fourth).isInstanceOf(Refused.class);
        Refused refused = (Refused) fourth;
        assertThat(refused.limit()).isEqualTo(CallAdmission.Limit.RATE);
        assertThat(refused.rule()).isEqualTo("rate_limits[0]");
        assertThat(refused.message())
                .isEqualTo("Rate limit: principal ci-bot may call ecs_* at most 3 times per 1m (rule rate_limits[0]);"
                        + " retry in 12 s.");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(refused.recorded()).isTrue();
    }

    @Test
    void anotherPrincipalAndOtherToolsAreUnaffected() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: [ecs_*]
                    calls: 1
                    per: 1m
                """);
        assertThat(limits.admit("ecs_service_update", BOT)).isInstanceOf(Permit.class);
        assertThat(limits.admit("ecs_service_update", BOT)).isInstanceOf(Refused.class);

        assertThat(limits.admit("ecs_service_update", ALICE)).isInstanceOf(Permit.class);
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Permit.class);
    }

    @Test
    void theBucketRefillsAfterThePeriod() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    calls: 2
                    per: 10s
                """);
        limits.admit("host_status", BOT);
        limits.admit("host_status", BOT);
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Refused.class);

        advance(Duration.ofSeconds(9));
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Refused.class);
        advance(Duration.ofSeconds(1));
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Permit.class);
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Permit.class);
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Refused.class);
    }

    @Test
    void concurrencyRefusesTheCallOverTheLimitUntilOneEnds() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: [host_*]
                    concurrent: 2
                """);
        Permit first = (Permit) limits.admit("host_exec", BOT);
        Permit second = (Permit) limits.admit("host_exec", BOT);
        Admission third = limits.admit("host_status", BOT);

        assertThat(third).isInstanceOf(Refused.class);
        assertThat(((Refused) third).limit()).isEqualTo(CallAdmission.Limit.CONCURRENCY);
        assertThat(((Refused) third).retryAfter()).isNull();
        assertThat(((Refused) third).message())
                .isEqualTo("Concurrency limit: principal ci-bot may run at most 2 calls of host_* at a time (rule"
                        + " rate_limits[0]); retry when one of them has finished.");
        assertThat(limits.admit("host_exec", ALICE)).isInstanceOf(Permit.class);

        first.close();
        first.close(); // idempotent: a second close must not free a slot the second call holds
        Permit again = (Permit) limits.admit("host_exec", BOT);
        assertThat(limits.admit("host_exec", BOT)).isInstanceOf(Refused.class);

        second.close();
        again.close();
        assertThat(limits.runningPrincipals(0)).as("ALICE still runs one").isEqualTo(1);
    }

    @Test
    void everyMatchingRuleApplies() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    calls: 100
                    per: 1m
                  - tools: [ecs_*]
                    calls: 1
                    per: 1m
                """);
        assertThat(limits.admit("ecs_service_update", BOT)).isInstanceOf(Permit.class);
        Admission second = limits.admit("ecs_service_update", BOT);
        assertThat(second).isInstanceOf(Refused.class);
        assertThat(((Refused) second).rule()).isEqualTo("rate_limits[1]");
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Permit.class);
    }

    @Test
    void aLaterRuleRefusingGivesBackTheConcurrencySlotsOfTheEarlierOnes() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    concurrent: 1
                  - tools: [ecs_*]
                    calls: 1
                    per: 1m
                """);
        ((Permit) limits.admit("ecs_service_update", BOT)).close();
        assertThat(limits.admit("ecs_service_update", BOT)).isInstanceOf(Refused.class);
        // the refused call's slot under rule 0 was given back
        assertThat(limits.runningPrincipals(0)).isZero();
        assertThat(limits.admit("host_status", BOT)).isInstanceOf(Permit.class);
    }

    @Test
    void rulesSelectPrincipalsByIdGlobOrRole() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    principals: ["ci-*"]
                    roles: [contractor]
                    calls: 1
                    per: 1m
                """);
        Principal contractor = new Principal("bob", Set.of("contractor"), "api-key");
        limits.admit("host_status", BOT);
        limits.admit("host_status", contractor);
        limits.admit("host_status", ALICE);

        assertThat(limits.admit("host_status", BOT)).as("id matches ci-*").isInstanceOf(Refused.class);
        assertThat(limits.admit("host_status", contractor)).as("role").isInstanceOf(Refused.class);
        assertThat(limits.admit("host_status", ALICE)).as("neither").isInstanceOf(Permit.class);
    }

    @Test
    void toolGlobsMatchLikeToolsInclude() {
        RateLimitRule rule = RateLimitRule.fromConfig(YAML.readTree("""
                        rate_limits:
                          - tools: [ecs_*_update, "logs_*"]
                            concurrent: 1
                        """)).get(0);
        assertThat(rule.appliesTo("ecs_service_update", BOT)).isTrue();
        assertThat(rule.appliesTo("ecs__update", BOT)).isTrue();
        assertThat(rule.appliesTo("logs_query", BOT)).isTrue();
        assertThat(rule.appliesTo("ecs_service_update_x", BOT)).isFalse();
        assertThat(rule.appliesTo("xecs_service_update", BOT)).isFalse();
        assertThat(rule.appliesTo("ecs_service_list", BOT)).isFalse();
    }

    @Test
    void refusalsOfAFloodAreRecordedOncePerPeriodWithTheCountOfTheOthers() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    calls: 1
                    per: 1m
                """);
        limits.admit("host_status", BOT);
        List<Refused> refusals = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            refusals.add((Refused) limits.admit("host_status", BOT));
        }
        assertThat(refusals).filteredOn(Refused::recorded).hasSize(1);
        assertThat(refusals.get(0).recorded()).isTrue();
        assertThat(refusals.get(0).unrecorded()).isZero();
        // every refusal still tells the client why
        assertThat(refusals).allSatisfy(r -> assertThat(r.message()).startsWith("Rate limit: principal ci-bot"));
        // another principal's first refusal is recorded on its own
        limits.admit("host_status", ALICE);
        assertThat(((Refused) limits.admit("host_status", ALICE)).recorded()).isTrue();

        advance(Duration.ofMinutes(1));
        limits.admit("host_status", BOT);
        Refused next = (Refused) limits.admit("host_status", BOT);
        assertThat(next.recorded()).isTrue();
        assertThat(next.unrecorded()).isEqualTo(499);
    }

    @Test
    void manyPrincipalsDoNotGrowMemoryBeyondTheBound() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    calls: 5
                    per: 1m
                """, 100);
        for (int i = 0; i < 20_000; i++) {
            limits.admit("host_status", new Principal("attacker-" + i, Set.of(), "oauth"));
        }
        assertThat(limits.trackedPrincipals(0)).isLessThanOrEqualTo(100);

        // and idle buckets go after two periods (they are full again after one)
        advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(limits.trackedPrincipals(0)).isZero();
    }

    @Test
    void concurrencySlotsAreKeptOnlyWhileCallsRun() {
        PrincipalLimits limits = limits("""
                rate_limits:
                  - tools: ["*"]
                    concurrent: 3
                """);
        for (int i = 0; i < 1000; i++) {
            ((Permit) limits.admit("host_status", new Principal("p-" + i, Set.of(), "oauth"))).close();
        }
        assertThat(limits.runningPrincipals(0)).isZero();
    }

    @Test
    void withoutRulesEveryCallIsAdmitted() {
        assertThat(PrincipalLimits.fromConfig(YAML.readTree("toolsets: [hosts]")))
                .isSameAs(CallAdmission.UNLIMITED);
        assertThat(PrincipalLimits.fromConfig(YAML.readTree("rate_limits: []"))).isSameAs(CallAdmission.UNLIMITED);
    }
}
