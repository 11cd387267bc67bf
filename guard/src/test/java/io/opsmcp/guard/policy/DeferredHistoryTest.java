package io.opsmcp.guard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.approval.ApprovalStore;
import io.opsmcp.guard.audit.RecordingAuditStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code input.history} (the circuit breaker's counts, one audit store query) is computed for a read only when the
 * policy reads it: the shipped policy reads it for changes only, so reads cost no query. Decisions are the same as
 * with the counts computed first; an audit log that cannot be reached still refuses changes before anything else and
 * still gives reads zero counts.
 */
class DeferredHistoryTest {

    private static final EmbeddedPolicyEngine SHIPPED = EmbeddedPolicyEngine.defaultBundle();
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @AfterAll
    static void close() {
        SHIPPED.close();
    }

    // ------------------------------------------------------------------ the engine: deferred = eager

    /** Inputs of reads and changes, allowed, denied and needing approval, the breaker below and at its limit. */
    private static List<JsonNode> inputs() {
        List<JsonNode> all = new ArrayList<>();
        for (int history : new int[] {0, 4, 5, 6}) {
            all.add(PolicyInputs.readCheckout().history(history).build());
            all.add(PolicyInputs.readCheckout()
                    .principal("vic", "viewer")
                    .history(history)
                    .build());
            all.add(PolicyInputs.readCheckout()
                    .principal("nobody")
                    .history(history)
                    .build());
            all.add(PolicyInputs.changeCheckoutMemory().history(history).build());
            all.add(PolicyInputs.changeCheckoutMemory()
                    .approval("alice", "approved", "lee", "sre-lead")
                    .history(history)
                    .build());
            all.add(PolicyInputs.restartOnSandboxHost().history(history).build());
            all.add(PolicyInputs.restartOnSandboxHost()
                    .principal("vic", "viewer")
                    .history(history)
                    .build());
        }
        return all;
    }

    private static DeferredInput deferredOf(JsonNode input, AtomicInteger calls) {
        ObjectNode known = (ObjectNode) input.deepCopy();
        JsonNode history = known.remove(PolicyInput.HISTORY);
        return new DeferredInput(known, PolicyInput.HISTORY, () -> {
            calls.incrementAndGet();
            return history;
        });
    }

    @Test
    void theShippedPolicyDecidesAsWithEagerCountsAndCountsOnlyForChanges() {
        for (JsonNode input : inputs()) {
            AtomicInteger calls = new AtomicInteger();
            Decision deferred = SHIPPED.decide(deferredOf(input, calls));
            assertThat(deferred).as(input.toString()).isEqualTo(SHIPPED.decide(input));
            assertThat(calls.get()).as(input.toString()).isLessThanOrEqualTo(1);
            if (input.at("/tool/read_only").booleanValue()) {
                assertThat(calls.get())
                        .as("a read never needs the counts: " + input)
                        .isZero();
            }
        }
        AtomicInteger calls = new AtomicInteger();
        Decision breaker = SHIPPED.decide(
                deferredOf(PolicyInputs.restartOnSandboxHost().history(5).build(), calls));
        assertThat(breaker.reasons()).anyMatch(r -> r.startsWith("circuit breaker"));
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aMemberThatCannotBeComputedDeniesAsUnavailable() {
        JsonNode change = PolicyInputs.restartOnSandboxHost().build();
        ObjectNode known = (ObjectNode) change.deepCopy();
        known.remove(PolicyInput.HISTORY);
        DeferredInput failing = new DeferredInput(known, PolicyInput.HISTORY, () -> {
            throw new IllegalStateException("store down");
        });
        assertThat(SHIPPED.decide(failing)).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        // the default (any engine that needs the whole input, e.g. a remote OPA) fails closed the same way
        assertThat(new Recording().decide(failing)).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
    }

    @Test
    void anEngineWithoutDeferredInputsGetsTheWholeInput() {
        Recording opaLike = new Recording();
        JsonNode read = PolicyInputs.readCheckout().history(3).build();
        AtomicInteger calls = new AtomicInteger();
        opaLike.decide(deferredOf(read, calls));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(opaLike.seen.get(0).get(PolicyInput.HISTORY)).isEqualTo(read.get(PolicyInput.HISTORY));
        assertThat(opaLike.seen.get(0)).isEqualTo(read);
    }

    @Test
    void aDeferredInputWithTheMemberAlsoKnownIsRefused() {
        JsonNode read = PolicyInputs.readCheckout().build();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new DeferredInput((ObjectNode) read, PolicyInput.HISTORY, () -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGuardsDeferredInputIsItsEagerInput() {
        CallFacts read = call(true, "sre");
        ObjectNode eager = PolicyInput.build(read, null, Map.of(), 2, 3);
        ObjectNode complete = PolicyInput.deferred(read, null, Map.of(), () -> PolicyInput.history(2, 3))
                .complete();
        assertThat(complete).isEqualTo(eager);
        assertThat(complete.propertyNames()).containsExactlyElementsOf(eager.propertyNames());
    }

    /** An engine that only takes whole inputs (as {@link OpaPolicyEngine}), recording them. */
    private static final class Recording implements PolicyEngine {
        final List<JsonNode> seen = new ArrayList<>();

        @Override
        public Decision decide(JsonNode input) {
            seen.add(input);
            return Decision.deny("recorded");
        }

        @Override
        public String description() {
            return "recording";
        }

        @Override
        public void close() {}
    }

    // ------------------------------------------------------------------ the guard

    /** {@code host_service_restart}-like call (a change unless {@code readOnly}) on the sandbox host, dev. */
    private static CallFacts call(boolean readOnly, String role) {
        return call(readOnly, role, "sandbox");
    }

    /** The same on a host of {@code hostGroup} ({@code staging-web}: staging, where changes need an approval). */
    private static CallFacts call(boolean readOnly, String role, String hostGroup) {
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("host", "sandbox");
        ActionDescriptor action = new ActionDescriptor(
                "host",
                "host",
                null,
                "sandbox",
                Map.of("host_group", hostGroup),
                readOnly ? null : new ChangePreview("restart nginx on sandbox", null, null));
        return new CallFacts(
                new Principal("alice", Set.of(role), "api-key"),
                "req-1",
                readOnly ? "host_status" : "host_service_restart",
                "hosts",
                readOnly,
                false,
                false,
                args,
                args,
                action,
                null,
                NOW,
                null);
    }

    private static Guard guard(PolicyEngine engine, RecordingAuditStore audit, FakeApprovals approvals) {
        return new Guard(engine, new ApprovalService(approvals, CLOCK), audit, CLOCK);
    }

    @Test
    void aReadCostsNoCountQueryUnderTheShippedPolicyAndAChangeStillCountsAndTrips() {
        RecordingAuditStore audit = new RecordingAuditStore();
        Guard guard = guard(SHIPPED, audit, new FakeApprovals());
        assertThat(guard.check(call(true, "sre"))).isInstanceOf(Guard.Verdict.Proceed.class);
        assertThat(audit.countQueries()).isZero();

        assertThat(guard.check(call(false, "sre"))).isInstanceOf(Guard.Verdict.Proceed.class);
        assertThat(audit.countQueries()).isEqualTo(1);

        audit.mutations(5);
        Guard.Verdict tripped = guard.check(call(false, "sre"));
        assertThat(tripped).isInstanceOf(Guard.Verdict.Stop.class);
        assertThat(((Guard.Verdict.Stop) tripped).result().text()).contains("circuit breaker");
    }

    /** A policy that reads input.history for reads too: allowed below 2 changes on the resource in the hour. */
    private static EmbeddedPolicyEngine readsHistoryForReads(Path dir) throws IOException {
        Files.writeString(dir.resolve("p.rego"), """
                package opsmcp.authz
                import rego.v1
                default decision := {"allow": false, "reasons": ["busy"], "approval": {"required": false}}
                decision := {"allow": true, "reasons": ["quiet"], "approval": {"required": false}} if {
                  input.history.actions_on_resource_last_hour < 2
                }
                """);
        return EmbeddedPolicyEngine.directory(dir, Duration.ZERO);
    }

    @Test
    void aPolicyThatReadsHistoryForReadsGetsTheCountsOnce(@TempDir Path dir) throws IOException {
        try (EmbeddedPolicyEngine engine = readsHistoryForReads(dir)) {
            RecordingAuditStore audit = new RecordingAuditStore();
            audit.mutations(3);
            Guard guard = guard(engine, audit, new FakeApprovals());
            Guard.Verdict busy = guard.check(call(true, "sre"));
            assertThat(busy).isInstanceOf(Guard.Verdict.Stop.class);
            assertThat(((Guard.Verdict.Stop) busy).result().text()).contains("busy");
            assertThat(audit.countQueries()).isEqualTo(1);
            audit.mutations(1);
            assertThat(guard.check(call(true, "sre"))).isInstanceOf(Guard.Verdict.Proceed.class);
            assertThat(audit.countQueries()).isEqualTo(2);
        }
    }

    @Test
    void anAuditLogThatCannotBeReachedGivesReadsZeroCountsAsBefore(@TempDir Path dir) throws IOException {
        try (EmbeddedPolicyEngine engine = readsHistoryForReads(dir)) {
            RecordingAuditStore audit = new RecordingAuditStore();
            audit.mutations(3);
            audit.down(true);
            Guard.Verdict verdict = guard(engine, audit, new FakeApprovals()).check(call(true, "sre"));
            assertThat(verdict).isInstanceOf(Guard.Verdict.Proceed.class);
            assertThat(audit.countQueries()).isEqualTo(1);
        }
    }

    @Test
    void anAuditLogThatCannotBeReachedRefusesAChangeBeforeAnApprovalIsAsked() {
        RecordingAuditStore audit = new RecordingAuditStore();
        audit.down(true);
        FakeApprovals approvals = new FakeApprovals();
        // a staging change needs an approval: with the audit log down, none is created
        CallFacts change = call(false, "sre", "staging-web");
        Guard.Verdict up = guard(SHIPPED, new RecordingAuditStore(), approvals).check(change);
        assertThat(((Guard.Verdict.Stop) up).result().text()).contains("Approval required");
        approvals.created.set(0);
        Guard.Verdict verdict = guard(SHIPPED, audit, approvals).check(change);
        assertThat(verdict).isInstanceOf(Guard.Verdict.Stop.class);
        assertThat(((Guard.Verdict.Stop) verdict).result().text()).contains("audit log cannot be written");
        assertThat(approvals.created.get()).isZero();
        assertThat(audit.events().size()).isZero();
    }

    /** Counts approvals created; nothing else is used by these calls. */
    private static final class FakeApprovals implements ApprovalStore {
        final AtomicInteger created = new AtomicInteger();

        @Override
        public Approval create(Approval pending) {
            created.incrementAndGet();
            return pending;
        }

        @Override
        public Optional<Approval> find(String id) {
            return Optional.empty();
        }

        @Override
        public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
            return List.of();
        }

        @Override
        public Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean consume(String id, Instant now) {
            return false;
        }

        @Override
        public void close() {}
    }
}
