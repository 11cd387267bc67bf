package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, {@code java -jar ops-mcp.jar demo}, on the embedded defaults: every step (reads, a
 * denial, a prod change held for approval, the approval, the change, a refused replay, the ECS incident and its
 * fix, the audit chain) behaves as the demo expects, which it reports with exit status 0. A change to the tools,
 * the bundle or the guard that alters who must approve what shows here first.
 */
class DemoIT {

    @TempDir
    Path tmp;

    @Test
    void theDemoRunsAsDocumented() throws Exception {
        Path log = tmp.resolve("demo.out");
        Process process = new ProcessBuilder(NodeHarness.serverCommand("demo"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("demo finished within 300 s: " + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Demo finished: every step behaved as expected.");
    }
}
