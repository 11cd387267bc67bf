package io.opsmcp.guard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchor keeps its checkpoint file open between checkpoints; a file moved away, deleted or replaced under it
 * must not swallow the next checkpoints: they go to the file the path names, created again with mode 0600.
 */
class AuditAnchorFileTest {

    @TempDir
    Path dataDir;

    private static AuditEntry entry(long seq) {
        AuditEvent event = AuditEvent.builder(
                        Instant.parse("2026-01-01T00:00:00Z"), "alice", AuditEvent.Phase.SUCCEEDED)
                .build();
        return new AuditEntry(seq, event, "0".repeat(64), String.format("%064x", seq));
    }

    @Test
    void aCheckpointFileMovedAwayIsCreatedAgainByTheNextCheckpoint() throws Exception {
        AuditAnchor anchor = AuditAnchor.open(dataDir, Map.of());
        try {
            anchor.record(entry(1), false);
            Path moved = dataDir.resolve("moved.jsonl");
            Files.move(anchor.file(), moved);
            anchor.record(entry(2), false);

            assertThat(anchor.read(moved).newest().orElseThrow().seq()).isEqualTo(1);
            AuditAnchor.Checkpoints now = anchor.read(anchor.file());
            assertThat(now.problem()).isNull();
            assertThat(now.count()).isEqualTo(1);
            assertThat(now.newest().orElseThrow().seq()).isEqualTo(2);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(anchor.file())))
                    .isEqualTo("rw-------");
        } finally {
            anchor.close();
        }
    }

    @Test
    void aCheckpointFileReplacedByAnotherIsWrittenToAsTheOtherOne() throws Exception {
        AuditAnchor anchor = AuditAnchor.open(dataDir, Map.of());
        try {
            anchor.record(entry(1), false);
            Path other = dataDir.resolve("other.jsonl");
            Files.copy(anchor.file(), other);
            Files.move(other, anchor.file(), StandardCopyOption.REPLACE_EXISTING);
            anchor.record(entry(2), false);
            anchor.record(entry(3), false);

            AuditAnchor.Checkpoints now = anchor.read(anchor.file());
            assertThat(now.problem()).isNull();
            assertThat(now.count()).isEqualTo(3);
            assertThat(now.newest().orElseThrow().seq()).isEqualTo(3);
        } finally {
            anchor.close();
        }
    }

    @Test
    void aDeletedCheckpointFileIsCreatedAgainAndCloseLetsTheNextCheckpointReopenIt() throws Exception {
        AuditAnchor anchor = AuditAnchor.open(dataDir, Map.of());
        anchor.record(entry(1), false);
        Files.delete(anchor.file());
        anchor.record(entry(2), true);
        anchor.close();
        anchor.record(entry(3), false);
        anchor.close();

        AuditAnchor.Checkpoints now = anchor.read(anchor.file());
        assertThat(now.count()).isEqualTo(2);
        assertThat(now.newest().orElseThrow().seq()).isEqualTo(3);
    }
}
