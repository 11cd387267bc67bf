package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.AuditUnavailableException;
import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.guard.audit.VerifyResult;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestDatabases databases;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    static AuditEvent event(String principal, String phase, JsonNode resource, Instant time) {
        return AuditEvent.builder(time, principal, AuditEvent.Phase.fromWire(phase))
                .requestId("req-1")
                .auth("local")
                .tool("host_service_restart", "hosts")
                .resource(resource)
                .args(JSON.readTree("{\"host\":\"web-1\",\"unit\":\"nginx\",\"n\":1.5}"))
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("dev change"))
                .durationMs(12)
                .build();
    }

    static JsonNode resource(String name) {
        return JSON.readTree(
                "{\"provider\":\"ssh\",\"kind\":\"host\",\"environment\":\"dev\",\"name\":\"" + name + "\"}");
    }

    private static void appendSome(Stores stores, int n) {
        for (int i = 0; i < n; i++) {
            stores.audit()
                    .append(event("alice", i % 2 == 0 ? "intent" : "succeeded", resource("web-1"), Instant.now()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void appendsFormAChainThatVerifies(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            AuditEntry first = stores.audit().append(event("alice", "intent", resource("web-1"), Instant.now()));
            AuditEntry second = stores.audit().append(event("bob", "succeeded", null, Instant.now()));

            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.prevHash()).isEqualTo(AuditEntry.GENESIS_HASH);
            assertThat(second.seq()).isEqualTo(2);
            assertThat(second.prevHash()).isEqualTo(first.hash());
            assertThat(second.hash())
                    .isEqualTo(CanonicalJson.sha256Hex(first.hash(), second.record()))
                    .isNotEqualTo(first.hash());

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(2);
            assertThat(result.message()).isEqualTo("audit chain intact: 2 records");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void storedEntriesReadBackAsAppended(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            AuditEvent event = AuditEvent.builder(
                            Instant.parse("2026-11-21T10:00:00.123456Z"), "alice", AuditEvent.Phase.PENDING)
                    .requestId("r-7")
                    .auth("api-key")
                    .tool("ecs_update_service", "aws")
                    .resource(resource("checkout"))
                    .args(JSON.readTree("{\"desired\":0}"))
                    .decision(
                            AuditEvent.PolicyDecision.NEEDS_APPROVAL,
                            List.of("prod changes need approval", "by an sre-lead"))
                    .approval("apr_x", List.of("bob", "carol"))
                    .resultDigest("ab".repeat(32))
                    .error("boom ✓")
                    .build();
            AuditEntry appended = stores.audit().append(event);

            List<AuditEntry> tail = stores.audit().tail(5);
            assertThat(tail).hasSize(1);
            AuditEntry read = tail.get(0);
            assertThat(read.record()).isEqualTo(appended.record());
            assertThat(read.hash()).isEqualTo(appended.hash());
            assertThat(read.event().time()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123Z"));
            assertThat(read.event().reasons()).containsExactly("prod changes need approval", "by an sre-lead");
        }
    }

    /** Reasons and approvers (string arrays, stored as JSON text) read back exactly, whatever their characters. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void awkwardReasonsAndApproversReadBackAndVerify(String kind) throws Exception {
        List<String> reasons = List.of(
                "quote \" and backslash \\ and slash /",
                "controls \n\t\r\b\f\u0001\u001f end",
                "non-ASCII ✓ grüße \ud83d\ude00 \u2028",
                "",
                "<script>&amp;</script>");
        List<String> approvers = List.of("bob \"the approver\"", "carol\\x", "dave\u0000");
        try (Stores stores = databases.fresh(kind).open()) {
            AuditEvent event = AuditEvent.builder(
                            Instant.parse("2026-11-21T10:00:00Z"), "alice", AuditEvent.Phase.DENIED)
                    .tool("host_list", "hosts")
                    .decision(AuditEvent.PolicyDecision.DENY, reasons)
                    .approval("apr_y", approvers)
                    .build();
            AuditEntry appended = stores.audit().append(event);
            AuditEntry read = stores.audit().tail(1).get(0);
            assertThat(read.event().reasons()).isEqualTo(reasons);
            assertThat(read.event().approvers()).isEqualTo(approvers);
            assertThat(read.hash()).isEqualTo(appended.hash());
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void tailReturnsTheNewestOldestFirst(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            appendSome(stores, 5);
            assertThat(stores.audit().tail(3)).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L);
            assertThat(stores.audit().tail(10)).hasSize(5);
            assertThat(stores.audit().tail(0)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void everyPhaseIsStoredReadBackAndVerified(String kind) throws Exception {
        // rate_limited and concurrency_limited included: no column constraint or parser may lag behind the enum
        try (Stores stores = databases.fresh(kind).open()) {
            for (AuditEvent.Phase phase : AuditEvent.Phase.values()) {
                stores.audit()
                        .append(AuditEvent.builder(Instant.now(), "ci-bot", phase)
                                .tool("ecs_service_update", "aws")
                                .error(phase.wire())
                                .build());
            }
            List<AuditEntry> tail = stores.audit().tail(100);
            assertThat(tail).extracting(e -> e.event().phase()).containsExactly(AuditEvent.Phase.values());
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(AuditEvent.Phase.values().length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void exportWritesOneJsonLinePerEntryInOrder(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            appendSome(stores, 3);
            StringWriter out = new StringWriter();
            stores.audit().export(out);

            String[] lines = out.toString().split("\n");
            assertThat(lines).hasSize(3);
            String prev = AuditEntry.GENESIS_HASH;
            for (int i = 0; i < 3; i++) {
                JsonNode line = JSON.readTree(lines[i]);
                assertThat(line.get("seq").asLong()).isEqualTo(i + 1);
                assertThat(line.get("prev_hash").asString()).isEqualTo(prev);
                assertThat(line.get("principal").asString()).isEqualTo("alice");
                prev = line.get("hash").asString();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesAHandEditedRecord(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 6);
            assertThat(db.execute(stores, "UPDATE audit_log SET principal = 'mallory' WHERE seq = 4"))
                    .isEqualTo(1);

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).isFalse();
            assertThat(result.brokenSeq()).isEqualTo(4);
            assertThat(result.count()).isEqualTo(3);
            assertThat(result.message())
                    .startsWith("audit chain broken at seq 4: ")
                    .contains("edited");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesAnEditedJsonColumn(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 3);
            // the same arguments re-serialised with other whitespace and key order still verify …
            db.execute(
                    stores,
                    "UPDATE audit_log SET args = '{ \"unit\":\"nginx\", \"n\":1.50, \"host\":\"web-1\" }'"
                            + " WHERE seq = 2");
            assertThat(stores.audit().verify().ok()).isTrue();
            // … a changed value does not
            db.execute(
                    stores,
                    "UPDATE audit_log SET args = '{\"host\":\"db-1\",\"unit\":\"nginx\",\"n\":1.5}'"
                            + " WHERE seq = 2");
            assertThat(stores.audit().verify().brokenSeq()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesADeletedRecord(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 6);
            db.execute(stores, "DELETE FROM audit_log WHERE seq = 3");

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).isFalse();
            assertThat(result.brokenSeq()).isEqualTo(3);
            assertThat(result.problem()).contains("missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesRecordsDeletedAtTheEnd(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 5);
            db.execute(stores, "DELETE FROM audit_log WHERE seq >= 4");

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).isFalse();
            assertThat(result.brokenSeq()).isEqualTo(4);
            assertThat(result.problem()).contains("4..5 missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesReorderedRecords(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 5);
            db.execute(stores, "UPDATE audit_log SET seq = 100 WHERE seq = 2");
            db.execute(stores, "UPDATE audit_log SET seq = 2 WHERE seq = 3");
            db.execute(stores, "UPDATE audit_log SET seq = 3 WHERE seq = 100");

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).isFalse();
            assertThat(result.brokenSeq()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void verifyNamesARecordWhoseHashWasRecomputed(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 4);
            AuditEntry third = stores.audit().tail(2).get(0);
            AuditEvent e = third.event();
            AuditEvent forged = AuditEvent.builder(e.time(), "mallory", e.phase())
                    .requestId(e.requestId())
                    .auth(e.auth())
                    .tool(e.tool(), e.toolset())
                    .resource(e.resource())
                    .args(e.args())
                    .decision(e.decision(), e.reasons())
                    .approval(e.approvalId(), e.approvers())
                    .durationMs(e.durationMs())
                    .resultDigest(e.resultDigest())
                    .error(e.error())
                    .build();
            String forgedHash = AuditEntry.computeHash(third.prevHash(), 3, forged);
            db.execute(stores, "UPDATE audit_log SET principal = 'mallory', hash = '" + forgedHash + "' WHERE seq = 3");

            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).isFalse();
            assertThat(result.brokenSeq()).isEqualTo(4);
            assertThat(result.problem()).contains("seq 3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void concurrentAppendsFormOneValidChain(String kind) throws Exception {
        int threads = 8;
        int perThread = 25;
        try (Stores stores = databases.fresh(kind).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<Long>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String principal = "p" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        List<Long> seqs = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            seqs.add(stores.audit()
                                    .append(event(principal, "intent", null, Instant.now()))
                                    .seq());
                        }
                        return seqs;
                    }));
                }
                go.countDown();
                Set<Long> seqs = new HashSet<>();
                for (Future<List<Long>> f : futures) {
                    for (long seq : f.get(120, TimeUnit.SECONDS)) {
                        assertThat(seqs.add(seq))
                                .as("seq %d handed out twice", seq)
                                .isTrue();
                    }
                }
                assertThat(seqs).hasSize(threads * perThread);
                assertThat(seqs).allMatch(s -> s >= 1 && s <= threads * perThread);
            } finally {
                pool.shutdownNow();
            }
            VerifyResult result = stores.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.count()).isEqualTo(threads * perThread);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void countsIntentRecordsPerResourceAndPrincipalSinceAnInstant(String kind) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // records keep milliseconds
        Instant twoHoursAgo = now.minus(Duration.ofHours(2));
        try (Stores stores = databases.fresh(kind).open()) {
            AuditStore audit = stores.audit();
            audit.append(event("alice", "intent", resource("web-1"), now.minusSeconds(60)));
            audit.append(event("alice", "succeeded", resource("web-1"), now.minusSeconds(59)));
            audit.append(event("bob", "intent", resource("web-1"), now.minusSeconds(30)));
            audit.append(event("alice", "intent", resource("web-2"), now.minusSeconds(20)));
            audit.append(event("alice", "intent", resource("web-1"), twoHoursAgo));
            audit.append(event("alice", "denied", resource("web-1"), now));

            Instant hourAgo = now.minus(Duration.ofHours(1));
            // the key is derived from the resource's content, not the order of its members
            String web1 = AuditEvent.resourceKey(JSON.readTree(
                    "{\"name\":\"web-1\",\"environment\":\"dev\",\"kind\":\"host\",\"provider\":\"ssh\"}"));
            assertThat(audit.countMutationsOnResource(web1, hourAgo)).isEqualTo(2);
            assertThat(audit.countMutationsOnResource(web1, twoHoursAgo)).isEqualTo(3);
            assertThat(audit.countMutationsOnResource(AuditEvent.resourceKey(resource("web-3")), hourAgo))
                    .isZero();
            assertThat(audit.countMutationsByPrincipal("alice", hourAgo)).isEqualTo(2);
            assertThat(audit.countMutationsByPrincipal("bob", hourAgo)).isEqualTo(1);
            assertThat(audit.countMutationsByPrincipal("carol", hourAgo)).isZero();
            // the guard's one-statement form answers the same
            assertThat(audit.countMutations(web1, "alice", hourAgo)).isEqualTo(new AuditStore.MutationCounts(2, 2));
            assertThat(audit.countMutations(web1, "bob", twoHoursAgo)).isEqualTo(new AuditStore.MutationCounts(3, 1));
            assertThat(audit.countMutations(null, null, hourAgo)).isEqualTo(new AuditStore.MutationCounts(0, 0));
        }
    }

    /**
     * Each store remembers the head it last wrote; another writer on the same database (a replica; a second store
     * in this process) moves the head under it, and the next append must chain after the head in the database.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void twoWritersTakingTurnsFormOneValidChain(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores one = db.open();
                Stores two = db.open()) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Stores writer = i % 3 == 0 ? two : one; // runs of two appends by one, one by the other
                seqs.add(writer.audit()
                        .append(event("p" + i, "intent", null, Instant.now()))
                        .seq());
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            for (Stores s : List.of(one, two)) {
                VerifyResult result = s.audit().verify();
                assertThat(result.ok()).as(result.message()).isTrue();
                assertThat(result.count()).isEqualTo(6);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void theChainContinuesAfterReopening(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 2);
        }
        try (Stores stores = db.open()) {
            AuditEntry third = stores.audit().append(event("alice", "intent", null, Instant.now()));
            assertThat(third.seq()).isEqualTo(3);
            assertThat(stores.audit().verify().count()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anUnwritableStoreThrowsAuditUnavailable(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        Stores stores = db.open();
        AuditStore audit = stores.audit();
        audit.append(event("alice", "intent", null, Instant.now()));
        stores.close();

        assertThatThrownBy(() -> audit.append(event("alice", "intent", null, Instant.now())))
                .isInstanceOf(AuditUnavailableException.class)
                .hasMessageStartingWith("audit store unavailable");
        assertThatThrownBy(audit::verify).isInstanceOf(AuditUnavailableException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void aFailedAppendLeavesTheChainIntact(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            appendSome(stores, 2);
            // a trigger-free way to make the insert fail: occupy the next seq
            db.execute(stores, "UPDATE audit_log SET seq = 3 WHERE seq = 2");
            assertThatThrownBy(() -> stores.audit().append(event("alice", "intent", null, Instant.now())))
                    .isInstanceOf(AuditUnavailableException.class);
            db.execute(stores, "UPDATE audit_log SET seq = 2 WHERE seq = 3");

            assertThat(stores.audit().verify().ok()).isTrue();
            assertThat(stores.audit()
                            .append(event("alice", "intent", null, Instant.now()))
                            .seq())
                    .isEqualTo(3);
        }
    }
}
