package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditUnavailableException;
import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.guard.audit.VerifyResult;
import io.opsmcp.store.jdbc.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Item 13 (last part) of the guard hardening: while the data disk is full the audit store refuses writes (so the
 * guard refuses changes), and once there is room again the very same open store writes again, with no restart and
 * the chain intact. The disk is a real 8 MiB tmpfs, filled to the last byte; needs root and {@code mount}.
 */
class StoreRecoversFromFullDiskTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path scratch;

    private Path disk;
    private SmallDisk smallDisk;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        smallDisk = SmallDisk.mountOrSkip(scratch.resolve("disk"));
        disk = smallDisk.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (smallDisk != null) {
            smallDisk.close();
        }
    }

    private static AuditEvent change(int i) {
        return AuditEvent.builder(Instant.now(), "alice", AuditEvent.Phase.INTENT)
                .requestId("r" + i)
                .auth("local")
                .tool("host_service_restart", "hosts")
                .args(JSON.readTree("{\"unit\":\"nginx\",\"note\":\"" + "x".repeat(2000) + "\"}"))
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("dev change"))
                .build();
    }

    @Test
    void writesFailClosedWhileTheDiskIsFullAndResumeWhenThereIsRoomAgain() throws Exception {
        Path dataDir = disk.resolve("data");
        try (Stores stores = Stores.open(null, dataDir)) {
            stores.audit().append(change(0));
            smallDisk.fill();

            int refused = 0;
            for (int i = 1; i <= 50 && refused < 3; i++) { // bounded; H2 may buffer a few in free pages first
                try {
                    stores.audit().append(change(i));
                } catch (AuditUnavailableException e) {
                    refused++;
                }
            }
            assertThat(refused).as("appends refused on a full disk").isGreaterThanOrEqualTo(3);

            smallDisk.free();

            // Room again: the same open store must write, within a bounded number of tries (no restart).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            RuntimeException last = null;
            boolean written = false;
            for (int i = 0; i < 20 && !written && System.nanoTime() < deadline; i++) {
                try {
                    stores.audit().append(change(100 + i));
                    written = true;
                } catch (RuntimeException e) {
                    last = e;
                    Thread.sleep(200);
                }
            }
            assertThat(written)
                    .as("append after the disk has room again; last error: %s", last)
                    .isTrue();
            Instant now = Instant.now();
            Approval created = new ApprovalService(stores.approvals(), Clock.systemUTC())
                    .create(new Approval(
                            null,
                            "host_service_restart",
                            CanonicalJson.sha256Hex(JSON.readTree("{\"unit\":\"nginx\"}")),
                            "alice",
                            null,
                            "restart nginx",
                            1,
                            List.of("sre-lead"),
                            false,
                            now,
                            now.plus(Duration.ofMinutes(5)),
                            null,
                            null,
                            null,
                            "prod"));
            assertThat(stores.approvals().find(created.id())).isPresent();
            VerifyResult chain = stores.audit().verify();
            assertThat(chain.ok()).as(chain.message()).isTrue();
        }
        // and nothing was lost or torn on the way: the checkpoints still match after a fresh open
        try (Stores reopened = Stores.open(null, dataDir)) {
            assertThat(reopened.audit().verify().ok()).isTrue();
        }
    }
}
