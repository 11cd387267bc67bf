package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.store.jdbc.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 8 of the guard hardening: someone who can rewrite the audit database (but does not hold the audit key) deletes
 * the newest records and rewinds the chain head so the chain alone checks out, or replaces the tail with records of
 * their own. {@code ops-mcp audit verify} (the real CLI in its own JVM) must report it, naming the newest signed
 * checkpoint the database no longer reaches; forged checkpoint lines are reported too.
 */
class AuditTruncationIsDetectedTest {

    @TempDir
    Path dataDir;

    @BeforeEach
    void fiveRecords() {
        try (Stores stores = Stores.open(null, dataDir)) {
            for (int i = 1; i <= 5; i++) {
                stores.audit().append(event("change " + i));
            }
        }
    }

    private static AuditEvent event(String reason) {
        return AuditEvent.builder(Instant.now(), "alice", AuditEvent.Phase.INTENT)
                .requestId("r")
                .auth("local")
                .tool("host_service_restart", "hosts")
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of(reason))
                .build();
    }

    /** The attacker's session: straight into the database, with its credential, as the service user could. */
    private Connection database() throws Exception {
        String secret = Files.readString(dataDir.resolve(Stores.SECRET_FILE)).strip();
        return DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ops-mcp"), "sa", secret);
    }

    private LocalAttacker.Result verify(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("audit", "verify", "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        return LocalAttacker.cli(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void anIntactChainMatchesItsCheckpoints() throws Exception {
        LocalAttacker.Result ok = verify();
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("audit chain intact: 5 records").contains("up to seq 5");
    }

    @Test
    void deletingTheNewestRecordsAndRewindingTheHeadIsReported() throws Exception {
        deleteAfterSeq3AndRewindTheHead();
        LocalAttacker.Result result = verify();
        assertThat(result.exit()).as(result.all()).isEqualTo(1);
        assertThat(result.err())
                .contains("audit chain broken at seq 4")
                .contains("records 4..5 missing")
                .contains("checkpoint seq 5")
                .contains("truncated or its head rewound");
    }

    @Test
    void replacingTheTailWithRecordsOfTheirOwnIsReported() throws Exception {
        deleteAfterSeq3AndRewindTheHead();
        // Two harmless-looking records in their place, chained correctly (the hash needs no secret).
        try (Connection c = database();
                Statement s = c.createStatement()) {
            for (int seq = 4; seq <= 5; seq++) {
                String prev;
                try (ResultSet rs = s.executeQuery("SELECT last_hash FROM audit_chain")) {
                    rs.next();
                    prev = rs.getString(1);
                }
                AuditEvent e = AuditEvent.builder(
                                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                                "alice",
                                AuditEvent.Phase.INTENT)
                        .requestId("r")
                        .auth("local")
                        .tool("host_service_restart", "hosts")
                        .decision(AuditEvent.PolicyDecision.ALLOW, List.of("nothing to see " + seq))
                        .build();
                String hash = AuditEntry.computeHash(prev, seq, e);
                s.executeUpdate("INSERT INTO audit_log (seq, event_time, request_id, principal, auth, tool, toolset,"
                        + " resource, resource_key, args, decision, reasons, approval_id, approvers, phase, duration_ms,"
                        + " result_digest, error, prev_hash, hash) SELECT seq + " + (seq - 3)
                        + ", event_time, request_id,"
                        + " principal, auth, tool, toolset, resource, resource_key, args, decision, reasons, approval_id,"
                        + " approvers, phase, duration_ms, result_digest, error, prev_hash, hash FROM audit_log"
                        + " WHERE seq = 3");
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET reasons = ?, prev_hash = ?,"
                        + " hash = ?, event_time = ? WHERE seq = ?")) {
                    ps.setString(1, "[\"nothing to see " + seq + "\"]");
                    ps.setString(2, prev);
                    ps.setString(3, hash);
                    ps.setObject(4, java.time.OffsetDateTime.ofInstant(e.time(), java.time.ZoneOffset.UTC));
                    ps.setLong(5, seq);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ?")) {
                    ps.setLong(1, seq);
                    ps.setString(2, hash);
                    ps.executeUpdate();
                }
            }
        }
        LocalAttacker.Result chainOnly = verify(
                "--checkpoints", dataDir.resolve("audit-checkpoints.jsonl").toString());
        assertThat(chainOnly.exit()).as(chainOnly.all()).isEqualTo(1);
        assertThat(chainOnly.err()).contains("does not match checkpoint seq 5");
    }

    @Test
    void aForgedOrEditedCheckpointIsReported() throws Exception {
        Path file = dataDir.resolve("audit-checkpoints.jsonl");
        List<String> lines = Files.readAllLines(file);
        Files.writeString(
                file,
                String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).replace("\"seq\":4", "\"seq\":3") + "\n");
        LocalAttacker.Result result = verify();
        assertThat(result.exit()).as(result.all()).isEqualTo(1);
        assertThat(result.err()).contains("line 4").contains("signature does not match");
    }

    @Test
    void aMissingCheckpointFileIsNotTakenAsProof() throws Exception {
        Files.delete(dataDir.resolve("audit-checkpoints.jsonl"));
        LocalAttacker.Result result = verify();
        assertThat(result.exit()).as(result.all()).isEqualTo(1);
        assertThat(result.err()).contains("does not exist").contains("cannot be proven");
    }

    @Test
    void checkpointsOfSeveralReplicasAreCheckedTogether() throws Exception {
        // A second "replica": its own data directory (own checkpoint file), the same database and a shared key.
        Path replicaDir = Files.createTempDirectory(dataDir.getParent(), "replica");
        Path sharedKeyCheckpoints = dataDir.resolve("audit-checkpoints.jsonl");
        LocalAttacker.Result both = verify(
                "--checkpoints", sharedKeyCheckpoints.toString(), "--checkpoints", sharedKeyCheckpoints.toString());
        assertThat(both.exit()).as(both.all()).isZero();
        Files.writeString(
                replicaDir.resolve("other.jsonl"), "{\"seq\":9,\"hash\":\"00\",\"time\":\"t\",\"hmac\":\"00\"}\n");
        LocalAttacker.Result forged = verify(
                "--checkpoints",
                sharedKeyCheckpoints.toString(),
                "--checkpoints",
                replicaDir.resolve("other.jsonl").toString());
        assertThat(forged.exit()).as(forged.all()).isEqualTo(1);
        assertThat(forged.err()).contains("other.jsonl line 1").contains("signature does not match");
    }

    /** What an attacker with the database's credentials does: drop the newest records and rewind the chain head. */
    private void deleteAfterSeq3AndRewindTheHead() throws Exception {
        try (Connection c = database();
                Statement s = c.createStatement()) {
            String hash3;
            try (ResultSet rs = s.executeQuery("SELECT hash FROM audit_log WHERE seq = 3")) {
                rs.next();
                hash3 = rs.getString(1);
            }
            s.executeUpdate("DELETE FROM audit_log WHERE seq > 3");
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET last_seq = 3, last_hash = ?")) {
                ps.setString(1, hash3);
                ps.executeUpdate();
            }
        }
    }
}
