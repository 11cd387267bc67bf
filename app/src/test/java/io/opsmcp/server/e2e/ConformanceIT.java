package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.conformance.ConformanceToolset;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance} 0.1.16, all active server
 * scenarios) against {@code ops-mcp serve --transport http --toolsets conformance}: no check may fail. The
 * fixtures (module {@code conformance}) are not in the shipped jar ({@link ShippedJarIT}): the server runs from the
 * jar with them added through {@code -Dloader.path}.
 */
class ConformanceIT {

    private static final Pattern TOTAL = Pattern.compile("^(\\d+) passed, (\\d+) failed$");
    private static final Pattern SCENARIO = Pattern.compile("^([✓✗]) (\\S+): (\\d+) passed, (\\d+) failed$");

    @TempDir
    Path tmp;

    @Test
    void activeSuitePassesWithoutFailedChecks() throws Exception {
        NodeHarness.Run run;
        try (ServerProcess server =
                ServerProcess.startHttpWith(fixtures(), tmp.resolve("data"), "--toolsets", "conformance")) {
            run = new NodeHarness(tmp).conformance(server.url("/mcp"));
        }
        String report = run.stdout() + "\n--- suite output ---\n" + NodeHarness.tail(run.stderr());

        Matcher total = TOTAL.matcher(run.lastLine());
        assertThat(total.matches()).as(report).isTrue();
        assertThat(Integer.parseInt(total.group(2)))
                .as("failed checks\n%s", report)
                .isZero();
        assertThat(Integer.parseInt(total.group(1)))
                .as("passed checks\n%s", report)
                .isGreaterThanOrEqualTo(40);

        List<String> scenarios =
                run.stdout().lines().filter(l -> SCENARIO.matcher(l).matches()).toList();
        assertThat(scenarios).as(report).hasSizeGreaterThanOrEqualTo(30).allMatch(l -> l.startsWith("✓"));
        assertThat(run.exitCode()).as(report).isZero();
    }

    /** Where the fixtures module is on this test's class path (its jar, or its class directory in a reactor build). */
    private static Path fixtures() throws URISyntaxException {
        return Path.of(ConformanceToolset.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }
}
