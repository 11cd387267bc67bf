package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.CanonicalJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** {@link ApprovalService}'s rules over {@link JdbcApprovalStore}, on H2 and PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DIGEST =
            CanonicalJson.sha256Hex(JSON.readTree("{\"host\":\"web-1\",\"unit\":\"nginx\"}"));

    private TestDatabases databases;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    /** The approval rules over the store under test: every vote goes through them, as in the server. */
    private static ApprovalService service(Stores stores) {
        return new ApprovalService(stores.approvals(), Clock.systemUTC());
    }

    private static Approval pending(int minApprovals, boolean allowSelf, Instant createdAt, Duration ttl) {
        return new Approval(
                null,
                "host_service_restart",
                DIGEST,
                "alice",
                JSON.readTree("{\"provider\":\"ssh\",\"kind\":\"host\",\"environment\":\"prod\",\"name\":\"web-1\"}"),
                "restart nginx on web-1",
                minApprovals,
                List.of("sre-lead"),
                allowSelf,
                createdAt,
                createdAt.plus(ttl),
                null,
                null,
                null,
                "prod changes need approval by an sre-lead");
    }

    private static Approval pending(int minApprovals, boolean allowSelf) {
        return pending(minApprovals, allowSelf, Instant.now(), Duration.ofMinutes(15));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void createStoresAPendingApprovalWithAFreshId(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            Approval created = service(stores).create(pending(1, false));

            assertThat(created.id()).matches("apr_[a-z2-7]{26}");
            assertThat(created.status()).isEqualTo(Approval.Status.PENDING);
            assertThat(service(stores).find(created.id())).contains(created);
            assertThat(service(stores).create(pending(1, false)).id()).isNotEqualTo(created.id());
            assertThat(service(stores).find("apr_" + "a".repeat(26))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void createRejectsIncompleteRequests(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            Instant now = Instant.now();
            Approval noApprovals = pending(0, false);
            assertThatThrownBy(() -> service(stores).create(noApprovals))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("min_approvals");
            Approval backwards = pending(1, false, now, Duration.ofMinutes(-1));
            assertThatThrownBy(() -> service(stores).create(backwards))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expires_at");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anApproverWithTheRoleApproves(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(1, false));

            Approval voted =
                    approvals.vote(a.id(), "bob", List.of("sre", "sre-lead"), true, "looks fine", Instant.now());

            assertThat(voted.status()).isEqualTo(Approval.Status.APPROVED);
            assertThat(voted.approvers()).containsExactly("bob");
            Approval stored = approvals.find(a.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(Approval.Status.APPROVED);
            assertThat(stored.votes()).singleElement().satisfies(v -> {
                assertThat(v.principal()).isEqualTo("bob");
                assertThat(v.roles()).containsExactly("sre", "sre-lead");
                assertThat(v.reason()).isEqualTo("looks fine");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void twoApprovalsNeedTwoDistinctApprovers(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(2, false));

            assertThat(approvals
                            .vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now())
                            .status())
                    .isEqualTo(Approval.Status.PENDING);
            assertThat(approvals.consume(a.id(), Instant.now())).isFalse();
            assertThat(approvals
                            .vote(a.id(), "carol", List.of("sre-lead"), true, null, Instant.now())
                            .status())
                    .isEqualTo(Approval.Status.APPROVED);
            assertThat(approvals.find(a.id()).orElseThrow().approvers()).containsExactly("bob", "carol");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anyDenyDenies(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(2, false));
            approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now());

            Approval denied =
                    approvals.vote(a.id(), "carol", List.of("sre-lead"), false, "not during the sale", Instant.now());

            assertThat(denied.status()).isEqualTo(Approval.Status.DENIED);
            assertThat(approvals.consume(a.id(), Instant.now())).isFalse();
            assertThatThrownBy(() -> approvals.vote(a.id(), "dave", List.of("sre-lead"), true, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class)
                    .hasMessageContaining("denied");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void selfApprovalIsRefusedUnlessAllowed(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval prod = approvals.create(pending(1, false));
            assertThatThrownBy(() -> approvals.vote(prod.id(), "alice", List.of("sre-lead"), true, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class)
                    .hasMessageContaining("self-approval is not allowed");
            assertThat(approvals.find(prod.id()).orElseThrow().votes()).isEmpty();

            Approval staging = approvals.create(pending(1, true));
            assertThat(approvals
                            .vote(staging.id(), "alice", List.of("sre-lead"), true, null, Instant.now())
                            .status())
                    .isEqualTo(Approval.Status.APPROVED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aVoterWithoutAnApproverRoleIsRefused(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(1, false));

            assertThatThrownBy(() -> approvals.vote(a.id(), "eve", List.of("sre"), true, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class)
                    .hasMessageContaining("sre-lead");
            assertThatThrownBy(() -> approvals.vote(a.id(), "eve", List.of(), false, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class);
            assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo(Approval.Status.PENDING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aSecondVoteBySameVoterIsRefused(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(2, false));
            approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now());

            assertThatThrownBy(() -> approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class)
                    .hasMessageContaining("already voted");
            Approval stored = approvals.find(a.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(Approval.Status.PENDING);
            assertThat(stored.votes()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anExpiredApprovalReadsExpiredAndCanNeitherBeVotedOnNorUsed(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Instant longAgo = Instant.now().minus(Duration.ofHours(1));
            Approval expired = approvals.create(pending(1, false, longAgo, Duration.ofMinutes(15)));

            assertThat(approvals.find(expired.id()).orElseThrow().status()).isEqualTo(Approval.Status.EXPIRED);
            assertThatThrownBy(
                            () -> approvals.vote(expired.id(), "bob", List.of("sre-lead"), true, null, Instant.now()))
                    .isInstanceOf(ApprovalException.class)
                    .hasMessageContaining("expired");

            // approved in time, used too late
            Approval a = approvals.create(pending(1, false));
            approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now());
            assertThat(approvals.consume(a.id(), a.expiresAt())).isFalse();
            assertThat(approvals.consume(a.id(), a.expiresAt().plusSeconds(1))).isFalse();
            assertThat(approvals.consume(a.id(), Instant.now())).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void consumeSucceedsOnceAndOnlyWhenApproved(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(1, false));
            assertThat(approvals.consume(a.id(), Instant.now())).isFalse();
            approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now());

            assertThat(approvals.consume(a.id(), Instant.now())).isTrue();
            assertThat(approvals.consume(a.id(), Instant.now())).isFalse();
            Approval used = approvals.find(a.id()).orElseThrow();
            assertThat(used.status()).isEqualTo(Approval.Status.USED);
            assertThat(used.usedAt()).isNotNull();
            assertThat(approvals.consume("apr_" + "b".repeat(26), Instant.now()))
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void sixteenConcurrentConsumersSucceedExactlyOnce(String kind) throws Exception {
        int threads = 16;
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            for (int round = 0; round < 5; round++) {
                Approval a = approvals.create(pending(1, false));
                approvals.vote(a.id(), "bob", List.of("sre-lead"), true, null, Instant.now());
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        results.add(pool.submit(() -> {
                            go.await();
                            return approvals.consume(a.id(), Instant.now());
                        }));
                    }
                    go.countDown();
                    int winners = 0;
                    for (Future<Boolean> r : results) {
                        if (r.get(60, TimeUnit.SECONDS)) {
                            winners++;
                        }
                    }
                    assertThat(winners).as("round %d", round).isEqualTo(1);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void concurrentVotesAreAppliedOneAfterTheOther(String kind) throws Exception {
        int voters = 8;
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Approval a = approvals.create(pending(voters, false));
            ExecutorService pool = Executors.newFixedThreadPool(voters);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Approval>> results = new ArrayList<>();
                for (int t = 0; t < voters; t++) {
                    String voter = "lead" + t;
                    results.add(pool.submit(() -> {
                        go.await();
                        return approvals.vote(a.id(), voter, List.of("sre-lead"), true, null, Instant.now());
                    }));
                }
                go.countDown();
                long approvedResults = 0;
                for (Future<Approval> r : results) {
                    if (r.get(60, TimeUnit.SECONDS).status() == Approval.Status.APPROVED) {
                        approvedResults++;
                    }
                }
                assertThat(approvedResults).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            Approval done = approvals.find(a.id()).orElseThrow();
            assertThat(done.status()).isEqualTo(Approval.Status.APPROVED);
            assertThat(done.votes()).hasSize(voters);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void listFiltersByEffectiveStatusNewestFirst(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            ApprovalService approvals = service(stores);
            Instant now = Instant.now();
            Approval old = approvals.create(pending(1, false, now.minus(Duration.ofHours(2)), Duration.ofMinutes(15)));
            Approval first = approvals.create(pending(1, false, now.minusSeconds(20), Duration.ofMinutes(15)));
            Approval second = approvals.create(pending(1, false, now.minusSeconds(10), Duration.ofMinutes(15)));
            Approval denied = approvals.create(pending(1, false, now.minusSeconds(5), Duration.ofMinutes(15)));
            approvals.vote(denied.id(), "bob", List.of("sre-lead"), false, "no", now);

            assertThat(approvals.list(EnumSet.of(Approval.Status.PENDING), 10))
                    .extracting(Approval::id)
                    .containsExactly(second.id(), first.id());
            assertThat(approvals.list(EnumSet.of(Approval.Status.PENDING), 1))
                    .extracting(Approval::id)
                    .containsExactly(second.id());
            assertThat(approvals.list(EnumSet.of(Approval.Status.EXPIRED), 10))
                    .extracting(Approval::id)
                    .containsExactly(old.id());
            assertThat(approvals.list(EnumSet.of(Approval.Status.DENIED, Approval.Status.EXPIRED), 10))
                    .extracting(Approval::id)
                    .containsExactly(denied.id(), old.id());
            assertThat(approvals
                            .list(EnumSet.of(Approval.Status.DENIED), 10)
                            .get(0)
                            .votes())
                    .hasSize(1);
            assertThat(approvals.list(EnumSet.allOf(Approval.Status.class), 10)).hasSize(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void approvalsSurviveReopening(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        Approval a;
        try (Stores stores = db.open()) {
            a = service(stores).create(pending(2, false));
            service(stores).vote(a.id(), "bob", List.of("sre-lead"), true, "ok", Instant.now());
        }
        try (Stores stores = db.open()) {
            Approval reread = service(stores).find(a.id()).orElseThrow();
            assertThat(reread.argsDigest()).isEqualTo(DIGEST);
            assertThat(reread.resource()).isEqualTo(a.resource());
            assertThat(reread.changeSummary()).isEqualTo("restart nginx on web-1");
            assertThat(reread.approverRoles()).containsExactly("sre-lead");
            assertThat(reread.expiresAt()).isEqualTo(a.expiresAt());
            assertThat(reread.reasons()).isEqualTo("prod changes need approval by an sre-lead");
            assertThat(reread.votes()).extracting(Approval.Vote::principal).containsExactly("bob");
            assertThat(service(stores)
                            .vote(a.id(), "carol", List.of("sre-lead"), true, null, Instant.now())
                            .status())
                    .isEqualTo(Approval.Status.APPROVED);
        }
    }
}
