package io.opsmcp.guard.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vote rules on their own (no database): who may vote, when, and what the votes add up to. The same rules over
 * the JDBC store, atomically and under concurrency, are in store-jdbc's {@code ApprovalStoreTest}.
 */
class ApprovalServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Principal BOB = new Principal("bob", Set.of("sre-lead"), "local");
    private static final Principal CAROL = new Principal("carol", Set.of("sre-lead"), "local");
    private static final Principal ALICE = new Principal("alice", Set.of("sre-lead"), "local");
    private static final Principal EVE = new Principal("eve", Set.of("sre"), "local");

    private final ApprovalService service =
            new ApprovalService(new InMemoryApprovalStore(), Clock.fixed(NOW, ZoneOffset.UTC));

    private Approval request(int minApprovals, boolean allowSelf, List<String> roles) {
        return service.create(new Approval(
                null,
                "host_service_restart",
                "a".repeat(64),
                "alice",
                null,
                "restart nginx",
                minApprovals,
                roles,
                allowSelf,
                NOW.minusSeconds(1),
                NOW.plus(Duration.ofMinutes(15)),
                null,
                null,
                null,
                "prod needs an sre-lead"));
    }

    @Test
    void createValidatesAndAssignsAnId() {
        Approval a = request(1, false, List.of("sre-lead"));
        assertThat(a.id()).matches("apr_[a-z2-7]{26}");
        assertThat(a.status()).isEqualTo(Approval.Status.PENDING);
        assertThatThrownBy(() -> request(0, false, List.of("sre-lead")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min_approvals");
    }

    @Test
    void nOfMNeedsDistinctApprovers() {
        Approval a = request(2, false, List.of("sre-lead"));
        assertThat(service.approve(a.id(), BOB, null).status()).isEqualTo(Approval.Status.PENDING);
        assertThatThrownBy(() -> service.approve(a.id(), BOB, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessage("bob has already voted on approval " + a.id());
        assertThat(service.approve(a.id(), CAROL, "ok").status()).isEqualTo(Approval.Status.APPROVED);
        assertThat(service.consume(a.id(), NOW)).isTrue();
        assertThat(service.consume(a.id(), NOW)).isFalse();
    }

    @Test
    void anyDenyDeniesAndEndsVoting() {
        Approval a = request(2, false, List.of("sre-lead"));
        assertThat(service.deny(a.id(), BOB, "not now").status()).isEqualTo(Approval.Status.DENIED);
        assertThatThrownBy(() -> service.approve(a.id(), CAROL, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("is denied; votes are only accepted while it is pending");
    }

    @Test
    void rolesAndSelfApprovalAreChecked() {
        Approval a = request(1, false, List.of("sre-lead"));
        assertThatThrownBy(() -> service.approve(a.id(), EVE, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("needs one of the roles sre-lead");
        assertThatThrownBy(() -> service.approve(a.id(), ALICE, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("self-approval is not allowed");
        Approval nobody = request(1, true, List.of());
        assertThatThrownBy(() -> service.approve(nobody.id(), BOB, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("names no approver roles");
        Approval staging = request(1, true, List.of("sre-lead"));
        assertThat(service.approve(staging.id(), ALICE, null).status()).isEqualTo(Approval.Status.APPROVED);
    }

    @Test
    void expiredApprovalsTakeNoVotes() {
        Approval a = request(1, false, List.of("sre-lead"));
        assertThatThrownBy(() -> service.vote(
                        a.id(),
                        "bob",
                        List.of("sre-lead"),
                        true,
                        null,
                        a.expiresAt().plusSeconds(1)))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("expired at");
        assertThatThrownBy(() -> service.approve("apr_" + "a".repeat(26), BOB, null))
                .isInstanceOf(ApprovalException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void statusShowsPendingAsApprovalRequired() {
        Approval a = request(1, false, List.of("sre-lead"));
        assertThat(ApprovalService.status(a).get("status").asString()).isEqualTo("approval_required");
        assertThat(ApprovalService.status(service.approve(a.id(), BOB, null))
                        .get("status")
                        .asString())
                .isEqualTo("approved");
    }

    @Test
    void listenersHearEveryLifecycleStepInOrderAndCannotUndoIt() {
        List<ApprovalEvent> heard = new java.util.ArrayList<>();
        service.addListener(heard::add);
        service.addListener(e -> {
            throw new IllegalStateException("a broken sink");
        });
        Approval a = request(2, false, List.of("sre-lead"));
        service.approve(a.id(), BOB, "looks right");
        service.approve(a.id(), CAROL, null);
        service.consume(a.id(), NOW);
        Approval b = request(1, false, List.of("sre-lead"));
        service.deny(b.id(), BOB, "not now");
        assertThatThrownBy(() -> service.approve(b.id(), CAROL, null)).isInstanceOf(ApprovalException.class);

        assertThat(heard)
                .extracting(ApprovalEvent::type)
                .containsExactly(
                        ApprovalEvent.Type.REQUESTED,
                        ApprovalEvent.Type.VOTED,
                        ApprovalEvent.Type.APPROVED,
                        ApprovalEvent.Type.USED,
                        ApprovalEvent.Type.REQUESTED,
                        ApprovalEvent.Type.DENIED);
        assertThat(heard.get(1).vote().principal()).isEqualTo("bob");
        assertThat(heard.get(1).vote().reason()).isEqualTo("looks right");
        assertThat(heard.get(3).approval().status()).isEqualTo(Approval.Status.USED);
        assertThat(service.find(b.id()).orElseThrow().status()).isEqualTo(Approval.Status.DENIED);
    }

    @Test
    void expiryIsAnnouncedOnlyOnceTheApprovalHasExpired() {
        List<ApprovalEvent> heard = new java.util.ArrayList<>();
        InMemoryApprovalStore store = new InMemoryApprovalStore();
        java.util.concurrent.atomic.AtomicBoolean pastExpiry = new java.util.concurrent.atomic.AtomicBoolean();
        // the JDBC store reports the effective status on find; this one is told when time has passed
        ApprovalStore clocked = new ApprovalStore() {
            public Approval create(Approval pending) {
                return store.create(pending);
            }

            public java.util.Optional<Approval> find(String id) {
                return store.find(id).map(a -> pastExpiry.get() ? a.with(Approval.Status.EXPIRED, a.votes(), null) : a);
            }

            public List<Approval> list(java.util.EnumSet<Approval.Status> statuses, int limit) {
                return store.list(statuses, limit);
            }

            public Approval vote(
                    String id,
                    Approval.Vote vote,
                    Instant now,
                    java.util.function.Function<Approval, Approval.Status> rules) {
                return store.vote(id, vote, now, rules);
            }

            public boolean consume(String id, Instant now) {
                return store.consume(id, now);
            }

            public void close() {}
        };
        ApprovalService watched = new ApprovalService(clocked, Clock.fixed(NOW, ZoneOffset.UTC));
        watched.addListener(heard::add);
        Approval a = watched.create(new Approval(
                null,
                "t",
                "a".repeat(64),
                "alice",
                null,
                null,
                1,
                List.of("sre-lead"),
                false,
                NOW,
                NOW.plusSeconds(60),
                null,
                null,
                null,
                "r"));
        heard.clear();
        assertThat(watched.announceExpired(a.id())).isFalse();
        assertThat(watched.announceExpired("apr_unknown")).isFalse();
        assertThat(heard).isEmpty();
        pastExpiry.set(true);
        assertThat(watched.announceExpired(a.id())).isTrue();
        assertThat(heard).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ApprovalEvent.Type.EXPIRED);
            assertThat(e.approval().id()).isEqualTo(a.id());
        });
    }
}
