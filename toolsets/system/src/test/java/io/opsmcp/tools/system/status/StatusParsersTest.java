package io.opsmcp.tools.system.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.OutputFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * df, free (procps-ng 4), ps and /proc parsers on outputs captured on the Debian 12 build machine; the older
 * free format and a server df follow those tools' documented formats.
 */
class StatusParsersTest {

    @Test
    void dfOnThisMachine() throws IOException {
        List<HostDiskUsageTool.DiskRow> rows = HostDiskUsageTool.parse(OutputFixtures.read("df.txt"), false);
        assertThat(rows).extracting(HostDiskUsageTool.DiskRow::mountPoint).contains("/", "/dev", "/dev/shm");
        HostDiskUsageTool.DiskRow root = rows.stream()
                .filter(r -> r.mountPoint().equals("/"))
                .findFirst()
                .orElseThrow();
        assertThat(root.type()).isEqualTo("ext4");
        assertThat(root.sizeBytes()).isEqualTo(264212084L * 1024);
        assertThat(root.usedBytes()).isEqualTo(23135624L * 1024);
        assertThat(root.usePercent()).isEqualTo(22);
    }

    @Test
    void dfKeepsSpacesInMountPointsAndFullDisks() throws IOException {
        List<HostDiskUsageTool.DiskRow> rows = HostDiskUsageTool.parse(OutputFixtures.read("df-server.txt"), false);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4).mountPoint()).isEqualTo("/mnt/My Share");
        assertThat(rows.get(2).usePercent()).isEqualTo(100);
        assertThat(rows.get(2).availableBytes()).isZero();
    }

    @Test
    void dfDropsTheLastLineWhenTruncated() throws IOException {
        String cut = OutputFixtures.read("df-server.txt");
        cut = cut.substring(0, cut.indexOf("/mnt/My") + 3);
        assertThat(HostDiskUsageTool.parse(cut, true)).hasSize(4);
    }

    @Test
    void freeProcpsNg() throws IOException {
        HostMemoryTool.Memory m = HostMemoryTool.parse(OutputFixtures.read("free.txt"));
        assertThat(m.total()).isEqualTo(25276502016L);
        assertThat(m.buffCache()).isNotNull();
        assertThat(m.available()).isPositive();
        assertThat(m.swapTotal()).isZero();
    }

    @Test
    void freeOldProcpsAddsBuffersAndCached() throws IOException {
        HostMemoryTool.Memory m = HostMemoryTool.parse(OutputFixtures.read("free-procps-3.3.9.txt"));
        assertThat(m.total()).isEqualTo(8254652416L);
        assertThat(m.buffCache()).isEqualTo(328429568L + 5329870848L);
        assertThat(m.available()).isNull();
        assertThat(m.swapUsed()).isEqualTo(10485760L);
    }

    @Test
    void freeWithoutSwapLineIsAnInternalError() {
        assertThatThrownBy(() -> HostMemoryTool.parse("total used free\nMem: 1 2 3\n"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("free -b");
    }

    @Test
    void psRowsKeepFullCommandLines() throws IOException {
        List<HostTopProcessesTool.ProcessRow> rows =
                HostTopProcessesTool.parse(OutputFixtures.read("ps-cpu.txt"), false);
        assertThat(rows).hasSize(20);
        assertThat(rows.get(0).pid()).isEqualTo(1);
        assertThat(rows.get(0).command()).startsWith("/process_api --firecracker-init");
        assertThat(rows.get(0).rssBytes()).isEqualTo(14420L * 1024);
        assertThat(rows).allSatisfy(r -> assertThat(r.user()).isNotBlank());
    }

    @Test
    void procUptimeLoadAndCpuList() throws IOException {
        HostUptimeLoadTool.UptimeLoad u = HostUptimeLoadTool.parse(OutputFixtures.read("uptime.txt"));
        assertThat(u.uptimeSeconds()).isEqualTo(487.76);
        assertThat(u.load1()).isEqualTo(2.65);
        assertThat(u.load15()).isEqualTo(0.49);
        assertThat(u.processes()).isEqualTo(89);
        assertThat(u.cpuCount()).isEqualTo(2);
        assertThat(HostUptimeLoadTool.cpuCount("0-3,6,8-9\n")).isEqualTo(7);
        assertThat(HostUptimeLoadTool.human(90061)).isEqualTo("1d 1h 1m");
    }
}
