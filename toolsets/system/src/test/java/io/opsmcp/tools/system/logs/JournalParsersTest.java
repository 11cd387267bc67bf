package io.opsmcp.tools.system.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.OutputFixtures;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * journalctl JSON (documented format; the build machine has no systemd to capture from) and the {@code since}
 * forms handed to journalctl.
 */
class JournalParsersTest {

    @Test
    void journalJsonWithByteArrayMessageAndCutLastLine() throws IOException {
        List<HostJournalTool.JournalEntry> entries =
                HostJournalTool.parse(OutputFixtures.read("journal-nginx.jsonl"), true);
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).time()).isEqualTo(Instant.parse("2025-01-14T09:12:03Z"));
        assertThat(entries.get(1).priority()).isEqualTo(3);
        assertThat(entries.get(1).pid()).isEqualTo(812L);
        assertThat(entries.get(1).message()).startsWith("nginx: ");
        assertThat(entries.get(2).message()).startsWith("Started");
    }

    @Test
    void sinceIsHandedToJournalctlAsAUtcTime() {
        Instant since = Instant.parse("2025-01-31T13:45:10.250Z");
        assertThat(HostJournalTool.journalctlSince(since)).isEqualTo("2025-01-31 13:45:10 UTC");
        assertThat(HostJournalTool.command("nginx", since, 5).argv())
                .containsSubsequence("-u", "nginx", "--since=2025-01-31 13:45:10 UTC", "-n", "5");
        assertThat(HostJournalTool.command("nginx", null, 5).argv()).noneMatch(a -> a.startsWith("--since"));
    }
}
