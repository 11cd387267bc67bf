package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditUnavailableException;
import io.opsmcp.guard.audit.VerifyResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group commit in {@link JdbcAuditStore}: appends that arrive while a batch is being written go into the next one
 * transaction and one signed checkpoint. From the attacker's and the failure's side: a batch is written whole or not
 * at all (every caller in a failed batch is refused, no record of it stays, no gap follows), seqs stay unique with
 * many threads and two stores on one database (two replicas), and truncating or rewriting records of a batch that
 * have no checkpoint of their own is still reported by the batch's checkpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditGroupCommitTest {

    private TestDatabases databases;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    private static AuditEvent event(String principal) {
        return AuditStoreTest.event(principal, "intent", AuditStoreTest.resource("web-1"), Instant.now());
    }

    /**
     * The pool of {@code stores}, with the first {@code getConnection} held until {@code release} opens; the
     * connections after it fail at commit as a dropped connection's does (the transaction is lost: rolled back)
     * while {@code dropAtCommit} is set.
     */
    private static DataSource held(
            Stores stores, CountDownLatch entered, CountDownLatch release, AtomicBoolean dropAtCommit) {
        DataSource pool = stores.dataSource();
        AtomicBoolean first = new AtomicBoolean(true);
        return (DataSource) Proxy.newProxyInstance(
                AuditGroupCommitTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getConnection") && (args == null || args.length == 0)) {
                        if (first.getAndSet(false)) {
                            entered.countDown();
                            assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                            return pool.getConnection();
                        }
                        return dropping(pool.getConnection(), dropAtCommit);
                    }
                    return invoke(pool, m, args);
                });
    }

    private static Connection dropping(Connection real, AtomicBoolean dropAtCommit) {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("commit") && dropAtCommit.get()) {
                real.rollback();
                throw new SQLException("An I/O error occurred while sending to the backend (connection dropped)");
            }
            return invoke(real, m, args);
        };
        return (Connection) Proxy.newProxyInstance(
                AuditGroupCommitTest.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Outcome of one caller's append: its entry, or the failure it was given. */
    private record Outcome(String principal, AuditEntry entry, Throwable failure) {}

    /**
     * {@code leader} appends first and is held in {@code getConnection} (holding the write), the {@code followers}
     * line up behind it, then all go: the followers are written as one batch after the leader's.
     */
    private static List<Outcome> leaderThenOneBatch(
            JdbcAuditStore audit, CountDownLatch entered, CountDownLatch release, String leader, String... followers)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1 + followers.length);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            futures.add(pool.submit(() -> appendOf(audit, leader)));
            assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
            for (String principal : followers) {
                futures.add(pool.submit(() -> appendOf(audit, principal)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (audit.waitingAppends() < followers.length && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(audit.waitingAppends()).isEqualTo(followers.length);
            release.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome appendOf(JdbcAuditStore audit, String principal) {
        try {
            return new Outcome(principal, audit.append(event(principal), false), null);
        } catch (RuntimeException e) {
            return new Outcome(principal, null, e);
        }
    }

    private static JdbcAuditStore heldStore(
            Stores stores, CountDownLatch entered, CountDownLatch release, AtomicBoolean dropAtCommit) {
        return new JdbcAuditStore(held(stores, entered, release, dropAtCommit), false, stores.anchor(), () -> {});
    }

    private static List<AuditAnchor.Checkpoint> checkpointsOf(Stores stores) throws Exception {
        List<AuditAnchor.Checkpoint> all = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(stores.anchor().file())) {
            var node = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
            all.add(new AuditAnchor.Checkpoint(
                    node.get("seq").asLong(),
                    node.get("hash").asString(),
                    node.get("time").asString()));
        }
        return all;
    }

    private static VerifyResult anchored(Stores stores) {
        AuditAnchor.Checkpoints file = stores.anchor().read(stores.anchor().file());
        return AuditAnchor.check(stores.audit().verify(), List.of(file), stores.audit()::hashAt);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void appendsArrivingDuringAWriteAreOneTransactionUnderOneCheckpoint(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JdbcAuditStore audit = heldStore(stores, entered, release, new AtomicBoolean());

            List<Outcome> outcomes = leaderThenOneBatch(audit, entered, release, "alice", "bob", "carol", "dave");

            assertThat(outcomes).allMatch(o -> o.failure() == null);
            assertThat(outcomes.get(0).entry().seq()).isEqualTo(1);
            assertThat(outcomes.stream().map(o -> o.entry().seq()).toList()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            for (Outcome o : outcomes) { // each caller got its own record back
                assertThat(o.entry().event().principal()).isEqualTo(o.principal());
            }
            // two writes, two checkpoints: the leader's record, then the batch's newest
            assertThat(checkpointsOf(stores))
                    .extracting(AuditAnchor.Checkpoint::seq)
                    .containsExactly(1L, 4L);
            assertThat(checkpointsOf(stores).get(1).hash())
                    .isEqualTo(stores.audit().hashAt(4).orElseThrow());
            VerifyResult result = anchored(stores);
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aRecordTheDatabaseRefusesFailsItsWholeBatchAndLeavesNoGap(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            db.execute(stores, "ALTER TABLE audit_log ADD CONSTRAINT refuse_mallory CHECK (principal <> 'mallory')");
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JdbcAuditStore audit = heldStore(stores, entered, release, new AtomicBoolean());

            List<Outcome> outcomes = leaderThenOneBatch(audit, entered, release, "alice", "bob", "mallory", "carol");

            assertThat(outcomes.get(0).entry().seq()).isEqualTo(1);
            for (Outcome o : outcomes.subList(1, 4)) { // the refused record and its batch mates, alike
                assertThat(o.failure())
                        .as(o.principal())
                        .isInstanceOf(AuditUnavailableException.class)
                        .hasMessageStartingWith("audit store unavailable, record not written");
            }
            assertNothingOfTheBatchStayed(stores, audit);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aConnectionDroppedAtTheBatchsCommitFailsEveryCallerInIt(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean drop = new AtomicBoolean(true);
            JdbcAuditStore audit = heldStore(stores, entered, release, drop);

            // the leader's write goes through; the batch behind it loses its connection at commit
            List<Outcome> outcomes = leaderThenOneBatch(audit, entered, release, "alice", "bob", "carol", "dave");

            assertThat(outcomes.get(0).entry().seq()).isEqualTo(1);
            for (Outcome o : outcomes.subList(1, 4)) {
                assertThat(o.failure())
                        .as(o.principal())
                        .isInstanceOf(AuditUnavailableException.class)
                        .hasMessageContaining("connection dropped");
            }
            drop.set(false);
            assertNothingOfTheBatchStayed(stores, audit);
        }
    }

    private static void assertNothingOfTheBatchStayed(Stores stores, JdbcAuditStore audit) {
        VerifyResult result = anchored(stores);
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.count()).isEqualTo(1);
        assertThat(stores.audit().tail(10))
                .extracting(e -> e.event().principal())
                .containsExactly("alice");
        // the chain goes on at seq 2, after the leader's record: no gap where the batch was
        AuditEntry next = audit.append(event("erin"), true);
        assertThat(next.seq()).isEqualTo(2);
        VerifyResult after = anchored(stores);
        assertThat(after.ok()).as(after.message()).isTrue();
        assertThat(after.count()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void truncatingOrRewritingRecordsInsideABatchIsReported(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JdbcAuditStore audit = heldStore(stores, entered, release, new AtomicBoolean());
            leaderThenOneBatch(audit, entered, release, "alice", "bob", "carol", "dave"); // checkpoints 1 and 4
            assertThat(anchored(stores).ok()).isTrue();

            // drop the batch's newest record (no checkpoint of its own but the batch's) and rewind the head to 3
            db.execute(stores, "DELETE FROM audit_log WHERE seq = 4");
            db.execute(
                    stores,
                    "UPDATE audit_chain SET last_seq = 3,"
                            + " last_hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1");
            assertThat(stores.audit().verify().ok())
                    .as("the chain alone checks out")
                    .isTrue();
            VerifyResult truncated = anchored(stores);
            assertThat(truncated.ok()).isFalse();
            assertThat(truncated.problem()).contains("record 4 missing");

            // and two records of it, down to the leader's checkpoint
            db.execute(stores, "DELETE FROM audit_log WHERE seq = 3");
            db.execute(
                    stores,
                    "UPDATE audit_chain SET last_seq = 2,"
                            + " last_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1");
            assertThat(stores.audit().verify().ok()).isTrue();
            assertThat(anchored(stores).problem()).contains("records 3..4 missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void rewritingARecordInsideABatchIsReportedByTheBatchsCheckpoint(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JdbcAuditStore audit = heldStore(stores, entered, release, new AtomicBoolean());
            leaderThenOneBatch(audit, entered, release, "alice", "bob", "carol", "dave");

            // someone with database access rewrites record 3 and re-chains 3 and 4 and the head consistently
            AuditEntry three = stores.audit().tail(2).get(0);
            AuditEntry four = stores.audit().tail(1).get(0);
            AuditEvent forged = AuditStoreTest.event(
                    "someone-else", "intent", null, three.event().time());
            String forgedHash = AuditEntry.computeHash(three.prevHash(), 3, forged);
            String fourHash = AuditEntry.computeHash(forgedHash, 4, four.event());
            db.execute(
                    stores,
                    "UPDATE audit_log SET principal = 'someone-else', resource = NULL, resource_key = NULL,"
                            + " hash = '" + forgedHash + "' WHERE seq = 3");
            db.execute(
                    stores,
                    "UPDATE audit_log SET prev_hash = '" + forgedHash + "', hash = '" + fourHash + "' WHERE seq = 4");
            db.execute(stores, "UPDATE audit_chain SET last_hash = '" + fourHash + "' WHERE id = 1");
            VerifyResult chain = stores.audit().verify();
            assertThat(chain.ok())
                    .as("the rewritten chain alone checks out: " + chain.message())
                    .isTrue();
            VerifyResult result = anchored(stores);
            assertThat(result.ok()).isFalse();
            assertThat(result.problem()).contains("does not match checkpoint seq 4");
        }
    }

    /**
     * A cancelled call's thread is interrupted; its append may carry other callers' records, which must not fail
     * for it (H2 closes its file when an interrupt hits a file operation). Its own record is written and it keeps
     * its interrupt.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anInterruptedCallersBatchIsWrittenAndItKeepsItsInterrupt(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            stores.audit().append(event("alice"), true);
            Thread.currentThread().interrupt();
            AuditEntry entry;
            try {
                entry = stores.audit().append(event("bob"), true);
            } finally {
                assertThat(Thread.interrupted())
                        .as("the caller's interrupt is kept")
                        .isTrue();
            }
            assertThat(entry.seq()).isEqualTo(2);
            assertThat(stores.audit().append(event("carol"), true).seq()).isEqualTo(3);
            VerifyResult result = anchored(stores);
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(3);
        }
    }

    /** Many threads on each of two stores on one database (two replicas), forced and unforced appends mixed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void manyWritersOnTwoReplicasFormOneChainThatBothCheckpointFilesAnchor(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        // a second replica: its own data directory (its own checkpoint file and key) on the same database; the
        // embedded database lives in the data directory, so on H2 both stores share it
        TestDatabases.Target replica = TestDatabases.H2.equals(kind)
                ? db
                : new TestDatabases.Target(
                        kind,
                        db.settings(),
                        db.dataDir().resolveSibling(db.dataDir().getFileName() + "-b"),
                        db.owner());
        int threads = 8;
        int perThread = 40;
        try (Stores one = db.open();
                Stores two = replica.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<AuditEntry>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Stores writer = t % 2 == 0 ? one : two;
                    String principal = "p" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        List<AuditEntry> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            mine.add(writer.audit().append(event(principal), i % 5 == 0));
                        }
                        return mine;
                    }));
                }
                go.countDown();
                Set<Long> seqs = new HashSet<>();
                for (Future<List<AuditEntry>> f : futures) {
                    for (AuditEntry e : f.get(300, TimeUnit.SECONDS)) {
                        assertThat(seqs.add(e.seq()))
                                .as("seq %d handed out twice", e.seq())
                                .isTrue();
                        // what the caller got back is what is stored at its seq
                        assertThat(one.audit().hashAt(e.seq())).contains(e.hash());
                    }
                }
                assertThat(seqs).hasSize(threads * perThread);
            } finally {
                pool.shutdownNow();
            }
            List<AuditAnchor.Checkpoints> files = new ArrayList<>();
            files.add(one.anchor().read(one.anchor().file()));
            if (!one.anchor().file().equals(two.anchor().file())) {
                files.add(two.anchor().read(two.anchor().file()));
            }
            VerifyResult result = AuditAnchor.check(one.audit().verify(), files, one.audit()::hashAt);
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(threads * perThread);
        }
    }
}
