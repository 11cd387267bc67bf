package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ops-mcp.jar} must not ship: the conformance suite's fixtures (their {@code test_*} tools exist to
 * exercise the protocol, not to be offered), so the jar alone refuses {@code --toolsets conformance}.
 */
class ShippedJarIT {

    @TempDir
    Path tmp;

    @Test
    void theJarHasNoConformanceFixtures() throws Exception {
        try (JarFile jar = new JarFile(E2e.jar().toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .noneMatch(
                            name -> name.contains("io/opsmcp/conformance/") || name.contains("conformance-fixtures"));
        }
        Process process = new ProcessBuilder(NodeHarness.serverCommand(
                        "tools",
                        "--toolsets",
                        "conformance",
                        "--data-dir",
                        tmp.resolve("data").toString()))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("unknown toolset 'conformance'");
    }
}
