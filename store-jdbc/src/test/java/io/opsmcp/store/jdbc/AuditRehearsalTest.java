package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.VerifyResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Stores#rehearseAuditAppend}: the append's statements run and are rolled back — from the attacker's side, a
 * rehearsal must never leave a record, move the chain head, write a checkpoint or break a real append made at the
 * same time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditRehearsalTest {

    private TestDatabases databases;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    private static AuditEvent rehearsal() {
        return AuditStoreTest.event("rehearsal", "succeeded", AuditStoreTest.resource("warm-up"), Instant.now());
    }

    private static long checkpoints(Stores stores) {
        return stores.anchor().read(stores.anchor().file()).count();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aRehearsalOnAnEmptyStoreLeavesItEmpty(String kind) throws Exception {
        TestDatabases.Target target = databases.fresh(kind);
        try (Stores stores = target.open()) {
            assertThat(stores.rehearseAuditAppend(rehearsal())).isTrue();
            assertThat(stores.rehearseAuditAppend(rehearsal())).isTrue();

            assertThat(stores.audit().tail(10)).isEmpty();
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isZero();
            assertThat(stores.anchor().file()).doesNotExist();

            AuditEntry first = stores.audit().append(AuditStoreTest.event("alice", "intent", null, Instant.now()));
            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.prevHash()).isEqualTo(AuditEntry.GENESIS_HASH);
        }
        try (Stores reopened = target.open()) { // nothing of it reached the file either
            assertThat(reopened.audit().tail(10))
                    .extracting(e -> e.event().principal())
                    .containsExactly("alice");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aRehearsalBetweenRealAppendsLeavesTheChainAsIfItHadNotRun(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            AuditEntry first = stores.audit().append(AuditStoreTest.event("alice", "intent", null, Instant.now()));
            AuditEntry second = stores.audit().append(AuditStoreTest.event("bob", "intent", null, Instant.now()));

            assertThat(stores.rehearseAuditAppend(rehearsal())).isTrue();

            AuditEntry third = stores.audit().append(AuditStoreTest.event("carol", "intent", null, Instant.now()));
            assertThat(third.seq()).isEqualTo(3);
            assertThat(third.prevHash()).isEqualTo(second.hash());
            assertThat(stores.audit().tail(10))
                    .extracting(e -> e.event().principal())
                    .containsExactly("alice", "bob", "carol");
            assertThat(stores.audit().hashAt(1)).contains(first.hash());
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(3);
            assertThat(checkpoints(stores)).isEqualTo(3);
        }
    }

    /** A warm-up that keeps rehearsing while real calls append: the chain holds exactly the real records. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void rehearsalsRacingRealAppendsLeaveExactlyTheRealRecords(String kind) throws Exception {
        int writers = 3;
        int perWriter = 20;
        try (Stores stores = databases.fresh(kind).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger rehearsed = new AtomicInteger();
            AtomicInteger appended = new AtomicInteger();
            try {
                CountDownLatch go = new CountDownLatch(1);
                Future<Integer> rehearsals = pool.submit(() -> {
                    go.await();
                    // bounded; stops when the writers are done. A rehearsal starts only between two batches of
                    // appends (group commit), so a refused attempt yields to let the batch finish
                    for (int i = 0; i < 1_000_000 && !done.get(); i++) {
                        if (stores.rehearseAuditAppend(rehearsal())) {
                            rehearsed.incrementAndGet();
                        } else {
                            Thread.yield();
                        }
                    }
                    return rehearsed.get();
                });
                List<Future<?>> appends = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String principal = "writer-" + w;
                    appends.add(pool.submit(() -> {
                        go.await();
                        // at least perWriter each, and on (bounded) until a rehearsal got in between two batches:
                        // on a loaded machine the writers can otherwise finish before the rehearsing thread runs
                        for (int i = 0; i < perWriter || (rehearsed.get() == 0 && i < 50 * perWriter); i++) {
                            stores.audit().append(AuditStoreTest.event(principal, "intent", null, Instant.now()));
                            appended.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : appends) {
                    f.get(120, TimeUnit.SECONDS);
                }
                done.set(true);
                assertThat(rehearsals.get(120, TimeUnit.SECONDS)).isPositive();
            } finally {
                done.set(true);
                pool.shutdownNow();
            }

            int real = appended.get();
            assertThat(real).isGreaterThanOrEqualTo(writers * perWriter);
            List<AuditEntry> all = stores.audit().tail(real + 1);
            assertThat(all).hasSize(real);
            assertThat(all).extracting(e -> e.event().principal()).doesNotContain("rehearsal");
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).seq()).isEqualTo(i + 1L);
            }
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(real);
            // one checkpoint per batch of appends, none of a rehearsal: the newest names the real head
            assertThat(checkpoints(stores)).isBetween(1L, (long) real);
            VerifyResult anchored = io.opsmcp.guard.audit.AuditAnchor.check(
                    result, List.of(stores.anchor().read(stores.anchor().file())), stores.audit()::hashAt);
            assertThat(anchored.ok()).as(anchored.message()).isTrue();
            assertThat(stores.anchor()
                            .read(stores.anchor().file())
                            .newest()
                            .orElseThrow()
                            .seq())
                    .isEqualTo(real);
        }
    }
}
