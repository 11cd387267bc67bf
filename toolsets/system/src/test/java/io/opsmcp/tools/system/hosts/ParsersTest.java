package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsmcp.core.tool.ToolException;

/**
 * Output parsers on captured outputs: df, free (procps-ng 4), ps and /proc files were captured on the Debian 12
 * build machine; the older free format, a server df, systemctl show and journalctl JSON follow those tools'
 * documented formats (the build machine has no systemd to capture from).
 */
class ParsersTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = ParsersTest.class.getResourceAsStream("/outputs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dfOnThisMachine() throws IOException {
        List<HostDiskUsageTool.DiskRow> rows = HostDiskUsageTool.parse(fixture("df.txt"), false);
        assertThat(rows).extracting(HostDiskUsageTool.DiskRow::mountPoint).contains("/", "/dev", "/dev/shm");
        HostDiskUsageTool.DiskRow root = rows.stream().filter(r -> r.mountPoint().equals("/")).findFirst().orElseThrow();
        assertThat(root.type()).isEqualTo("ext4");
        assertThat(root.sizeBytes()).isEqualTo(264212084L * 1024);
        assertThat(root.usedBytes()).isEqualTo(23135624L * 1024);
        assertThat(root.usePercent()).isEqualTo(22);
    }

    @Test
    void dfKeepsSpacesInMountPointsAndFullDisks() throws IOException {
        List<HostDiskUsageTool.DiskRow> rows = HostDiskUsageTool.parse(fixture("df-server.txt"), false);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4).mountPoint()).isEqualTo("/mnt/My Share");
        assertThat(rows.get(2).usePercent()).isEqualTo(100);
        assertThat(rows.get(2).availableBytes()).isZero();
    }

    @Test
    void dfDropsTheLastLineWhenTruncated() throws IOException {
        String cut = fixture("df-server.txt");
        cut = cut.substring(0, cut.indexOf("/mnt/My") + 3);
        assertThat(HostDiskUsageTool.parse(cut, true)).hasSize(4);
    }

    @Test
    void freeProcpsNg() throws IOException {
        HostMemoryTool.Memory m = HostMemoryTool.parse(fixture("free.txt"));
        assertThat(m.total()).isEqualTo(25276502016L);
        assertThat(m.buffCache()).isNotNull();
        assertThat(m.available()).isPositive();
        assertThat(m.swapTotal()).isZero();
    }

    @Test
    void freeOldProcpsAddsBuffersAndCached() throws IOException {
        HostMemoryTool.Memory m = HostMemoryTool.parse(fixture("free-procps-3.3.9.txt"));
        assertThat(m.total()).isEqualTo(8254652416L);
        assertThat(m.buffCache()).isEqualTo(328429568L + 5329870848L);
        assertThat(m.available()).isNull();
        assertThat(m.swapUsed()).isEqualTo(10485760L);
    }

    @Test
    void freeWithoutSwapLineIsAnInternalError() {
        assertThatThrownBy(() -> HostMemoryTool.parse("total used free\nMem: 1 2 3\n"))
                .isInstanceOf(ToolException.class).hasMessageContaining("free -b");
    }

    @Test
    void psRowsKeepFullCommandLines() throws IOException {
        List<HostTopProcessesTool.ProcessRow> rows = HostTopProcessesTool.parse(fixture("ps-cpu.txt"), false);
        assertThat(rows).hasSize(20);
        assertThat(rows.get(0).pid()).isEqualTo(1);
        assertThat(rows.get(0).command()).startsWith("/process_api --firecracker-init");
        assertThat(rows.get(0).rssBytes()).isEqualTo(14420L * 1024);
        assertThat(rows).allSatisfy(r -> assertThat(r.user()).isNotBlank());
    }

    @Test
    void procUptimeLoadAndCpuList() throws IOException {
        HostUptimeLoadTool.UptimeLoad u = HostUptimeLoadTool.parse(fixture("uptime.txt"));
        assertThat(u.uptimeSeconds()).isEqualTo(487.76);
        assertThat(u.load1()).isEqualTo(2.65);
        assertThat(u.load15()).isEqualTo(0.49);
        assertThat(u.processes()).isEqualTo(89);
        assertThat(u.cpuCount()).isEqualTo(2);
        assertThat(HostUptimeLoadTool.cpuCount("0-3,6,8-9\n")).isEqualTo(7);
        assertThat(HostUptimeLoadTool.human(90061)).isEqualTo("1d 1h 1m");
    }

    @Test
    void systemctlShow() throws IOException {
        Map<String, String> p = HostServiceStatusTool.parseShow(fixture("systemctl-show-nginx.txt"));
        assertThat(p).containsEntry("ActiveState", "active").containsEntry("SubState", "running")
                .containsEntry("MainPID", "812").containsEntry("ActiveEnterTimestamp", "Tue 2025-01-14 09:12:03 UTC");
    }

    @Test
    void journalJsonWithByteArrayMessageAndCutLastLine() throws IOException {
        List<HostJournalTool.JournalEntry> entries = HostJournalTool.parse(fixture("journal-nginx.jsonl"), true);
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).time()).isEqualTo(Instant.parse("2025-01-14T09:12:03Z"));
        assertThat(entries.get(1).priority()).isEqualTo(3);
        assertThat(entries.get(1).pid()).isEqualTo(812L);
        assertThat(entries.get(1).message()).startsWith("nginx: ");
        assertThat(entries.get(2).message()).startsWith("Started");
    }

    @Test
    void sysvExitStatusesFollowLsb() {
        assertThat(HostServiceStatusTool.sysvState(0)).isEqualTo("running");
        assertThat(HostServiceStatusTool.sysvState(3)).isEqualTo("not-running");
        assertThat(HostServiceStatusTool.sysvState(4)).isEqualTo("unknown");
        assertThat(HostServiceStatusTool.sysvState(null)).isEqualTo("unknown");
    }

    @Test
    void journalSinceFormsMapToJournalctl() {
        assertThat(HostJournalTool.journalctlSince("2h")).isEqualTo("-2h");
        assertThat(HostJournalTool.journalctlSince("2025-01-31T13:45")).isEqualTo("2025-01-31 13:45");
        assertThat(HostJournalTool.journalctlSince("10 minutes ago")).isEqualTo("10 minutes ago");
        assertThat(HostJournalTool.command("nginx", "15min", 5).argv())
                .containsSubsequence("-u", "nginx", "--since=-15min", "-n", "5");
    }
}
