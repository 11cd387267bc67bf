package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import io.opsmcp.tools.gitlab.trace.GrepCollector;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceCleaner;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

    @Test
    void stripsAnsiSectionMarkersAndCarriageReturns() {
        assertThat(TraceCleaner.clean("\u001B[0Ksection_start:1733300000:get_sources[collapsed=true]\r\u001B[0K"
                        + "\u001B[0K\u001B[36;1mGetting source from Git repository\u001B[0;m"))
                .isEqualTo("Getting source from Git repository");
        assertThat(TraceCleaner.clean("section_end:1733300003:get_sources\r\u001B[0K"))
                .isNull();
        assertThat(TraceCleaner.clean("\u001B[32;1m$ make\u001B[0;m")).isEqualTo("$ make");
        assertThat(TraceCleaner.clean(" 10% [##      ]\r 55% [#####   ]\r100% [########]"))
                .isEqualTo("100% [########]");
        assertThat(TraceCleaner.clean("\u001B]8;;https://x.example\u0007link\u001B]8;;\u0007 text"))
                .isEqualTo("link text");
        assertThat(TraceCleaner.clean("plain\tline")).isEqualTo("plain\tline");
    }

    @Test
    void runnerTraceReadsAsTheUiShowsIt() {
        String trace = RunnerTrace.of("python:3.12", List.of("$ pytest", "1 passed"), 0);
        TailBuffer tail = new TailBuffer(1000);
        TraceReader.read(
                new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), Instant.MAX, Clock.systemUTC(), tail);
        List<String> texts = tail.lines().stream().map(TraceLine::text).toList();
        assertThat(texts).contains("Preparing the \"docker\" executor", "$ pytest", "1 passed", "Job succeeded");
        assertThat(String.join("\n", texts)).doesNotContain("\u001B").doesNotContain("section_");
    }

    /** A trace generated on the fly: nothing holds it whole, so only the reader's own buffers use memory. */
    static InputStream generated(long lines, String longLineAt) {
        return new InputStream() {
            long line = 0;
            byte[] current = new byte[0];
            int pos = 0;

            @Override
            public int read() {
                if (pos == current.length) {
                    if (line == lines) {
                        return -1;
                    }
                    line++;
                    String text = Long.toString(line).equals(longLineAt)
                            ? "x".repeat(2_000_000)
                            : "\u001B[32m" + line + "\u001B[0m collecting item " + line + " of the build output";
                    current = (text + "\n").getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                return current[pos++] & 0xff;
            }
        };
    }

    @Test
    void tailOfAMultiMegabyteTraceWithBoundedMemory() {
        // about 80 MB of trace with one 2 MB line; the tail keeps 300 lines and every line is cut at 4000 chars
        TailBuffer tail = new TailBuffer(300);
        TraceReader.Stats stats =
                TraceReader.read(generated(1_500_000, "700000"), Instant.MAX, Clock.systemUTC(), tail);
        assertThat(stats.lines()).isEqualTo(1_500_000);
        assertThat(stats.chars()).isGreaterThan(50_000_000L);
        assertThat(stats.cutLines()).isEqualTo(1);
        List<TraceLine> lines = tail.lines();
        assertThat(lines).hasSize(300);
        assertThat(lines.get(0).number()).isEqualTo(1_500_000 - 299);
        assertThat(lines.get(299).text()).isEqualTo("1500000 collecting item 1500000 of the build output");
    }

    @Test
    void grepKeepsMatchesWithContextAndCountsTheRest() {
        GrepCollector grep = new GrepCollector(Pattern.compile("item (?:1000|2000|2001)\\b"), 1, 2);
        TraceReader.read(generated(300_000, "-1"), Instant.MAX, Clock.systemUTC(), grep);
        assertThat(grep.matches()).isEqualTo(3);
        assertThat(grep.lines()).extracting(TraceLine::number).containsExactly(999L, 1000L, 1001L, 1999L, 2000L, 2001L);
        assertThat(grep.lines())
                .filteredOn(TraceLine::match)
                .extracting(TraceLine::number)
                .containsExactly(1000L, 2000L);
    }
}
