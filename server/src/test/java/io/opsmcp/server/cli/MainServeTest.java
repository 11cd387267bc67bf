package io.opsmcp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aBadConfigFileStillStopsTheStartNamingTheFile(@TempDir Path tmp) throws IOException {
        // the configuration warm-up reads its own built-in sample beside the command line: the operator's file is
        // still read and checked by the main thread, before anything is served
        Path notYaml = Files.writeString(tmp.resolve("broken.yaml"), "server: [unclosed\n");
        String[] out = new String[1];
        assertThat(capture(() -> Main.run("serve", "--config", notYaml.toString(), "--data-dir", tmp.toString()), out))
                .isEqualTo(2);
        assertThat(out[0]).startsWith("ops-mcp: configuration error: config file " + notYaml + " is not valid YAML");

        Path badSetting = Files.writeString(tmp.resolve("bad.yaml"), "transport: carrier-pigeon\n");
        assertThat(capture(
                        () -> Main.run("serve", "--config", badSetting.toString(), "--data-dir", tmp.toString()), out))
                .isEqualTo(2);
        assertThat(out[0]).startsWith("ops-mcp: configuration error: ").contains("carrier-pigeon");
    }

    @Test
    void theConfigurationWarmUpsSampleBindsWhole() {
        // a sample that no longer bound would leave the warm-up doing nothing (its thread drops errors)
        assertThat(ConfigWarmUp.run())
                .isEqualTo(new ConfigWarmUp.Sample(
                        "stdio",
                        "info",
                        8080,
                        true,
                        java.util.List.of("hosts", "runbooks"),
                        tools.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .put("max_calls", 10)));
    }

    @Test
    void theWarmUpIsLeftOutOnlyForACommandLineThatNamesTheHttpTransport() {
        assertThat(ConfigWarmUp.namesHttp("serve", "--transport", "http")).isTrue();
        assertThat(ConfigWarmUp.namesHttp("serve", "-t", "http", "--port", "0")).isTrue();
        assertThat(ConfigWarmUp.namesHttp("serve", "--transport=http")).isTrue();
        assertThat(ConfigWarmUp.namesHttp("serve", "-thttp")).isTrue();
        // stdio, the default, and values that only look like it keep the warm-up
        assertThat(ConfigWarmUp.namesHttp("serve")).isFalse();
        assertThat(ConfigWarmUp.namesHttp("serve", "--transport", "stdio", "--sandbox"))
                .isFalse();
        assertThat(ConfigWarmUp.namesHttp("serve", "--config", "http")).isFalse();
        assertThat(ConfigWarmUp.namesHttp("serve", "--transport")).isFalse();
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
