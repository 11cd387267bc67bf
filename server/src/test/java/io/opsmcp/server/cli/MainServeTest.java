package io.opsmcp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code ops-mcp serve ...} runs on a command line that holds {@code serve} alone ({@link Main.ServeOnly}): its help,
 * its usage errors and its exit codes are those of {@code serve} under the full {@code ops-mcp} command.
 */
class MainServeTest {

    @Test
    void serveHelpIsServesUnderOpsMcp() {
        String[] out = new String[1];
        assertThat(capture(() -> Main.run("serve", "--help"), out)).isZero();
        assertThat(out[0])
                .contains("Usage: ops-mcp serve")
                .contains("--transport")
                .contains("--sandbox");
        String[] full = new String[1];
        assertThat(capture(() -> Main.run("--help"), full)).isZero();
        assertThat(full[0])
                .as("the full command line still lists every subcommand")
                .contains("serve", "client-config");
    }

    @Test
    void aWrongServeOptionIsAUsageError() {
        String[] out = new String[1];
        assertThat(capture(() -> Main.run("serve", "--no-such-option"), out)).isEqualTo(2);
        assertThat(out[0]).contains("Unknown option: '--no-such-option'").contains("Usage: ops-mcp serve");
    }

    /** Runs {@code run} with stdout and stderr captured into {@code out[0]}; returns its exit code. */
    private static int capture(IntSupplier run, String[] out) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            return run.getAsInt();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
