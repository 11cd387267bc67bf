package io.opsmcp.tools.system.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.OutputFixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * systemctl show and LSB exit statuses, in their documented formats (the build machine has no systemd to
 * capture from).
 */
class ServiceParsersTest {

    @Test
    void systemctlShow() throws IOException {
        Map<String, String> p = HostServiceStatusTool.parseShow(OutputFixtures.read("systemctl-show-nginx.txt"));
        assertThat(p)
                .containsEntry("ActiveState", "active")
                .containsEntry("SubState", "running")
                .containsEntry("MainPID", "812")
                .containsEntry("ActiveEnterTimestamp", "Tue 2025-01-14 09:12:03 UTC");
    }

    @Test
    void sysvExitStatusesFollowLsb() {
        assertThat(HostServiceStatusTool.sysvState(0)).isEqualTo("running");
        assertThat(HostServiceStatusTool.sysvState(3)).isEqualTo("not-running");
        assertThat(HostServiceStatusTool.sysvState(4)).isEqualTo("unknown");
        assertThat(HostServiceStatusTool.sysvState(null)).isEqualTo("unknown");
    }
}
