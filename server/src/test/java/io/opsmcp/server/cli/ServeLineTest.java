package io.opsmcp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@link ServeLine} reads a {@code serve} line exactly as picocli does, or leaves it to picocli: for each line
 * it reads, the command it builds equals picocli's; every line outside its subset returns {@code null}; and a
 * failing command run from it exits and prints as under picocli.
 */
class ServeLineTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "serve",
                "serve --transport stdio --config /etc/ops-mcp.yaml",
                "serve --transport stdio --sandbox --data-dir /tmp/d --log-level warn",
                "serve -t http --bind 0.0.0.0 -p 8081 --stateless",
                "serve --port=0 --transport=http --config=ops.yaml",
                "serve -c ops.yaml --toolsets hosts,runbooks --toolsets aws",
                "serve --toolsets=gitlab",
                "serve --read-only --tools-include ecs_* --tools-include host_* --tools-exclude host_kill",
                "serve --tool-discovery --tools-exclude=x --data-dir=rel/dir",
                "serve -p 65535 --log-level=debug",
            })
    void readsAPlainLineAsPicocliDoes(String line) {
        String[] args = line.split(" ");
        ServeCommand fast = ServeLine.parse(args);
        assertThat(fast).as(line).isNotNull();
        assertThat(state(fast)).as(line).isEqualTo(state(picocli(args)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "serve --help",
                "serve -h",
                "serve --version",
                "serve -V",
                "serve --no-such-option",
                "serve positional",
                "serve --transport stdio --transport http",
                "serve --sandbox --sandbox",
                "serve --sandbox=true",
                "serve --stateless=false",
                "serve -tstdio",
                "serve -p8080",
                "serve --port 0x10",
                "serve --port 080",
                "serve --port 99999999",
                "serve --port -1",
                "serve --config",
                "serve --config --sandbox",
                "serve --config @args.txt",
                "@args.txt",
                "serve @args.txt",
                "serve --log-level 'warn'",
                "serve --toolsets a,,b",
                "serve --toolsets ,a",
                "serve --toolsets a,",
                "serve --toolsets=",
                "serve -- --sandbox",
                "serve --Sandbox",
                "tools list",
            })
    void leavesEverythingElseToPicocli(String line) {
        assertThat(ServeLine.parse(line.split(" "))).as(line).isNull();
    }

    @org.junit.jupiter.api.Test
    void anEmptyValueAndAPathWithNulAreLeftToPicocli() {
        assertThat(ServeLine.parse("serve", "--log-level", "")).isNull();
        assertThat(ServeLine.parse("serve", "--data-dir", "a\0b")).isNull();
        assertThat(ServeLine.parse()).isNull();
    }

    @org.junit.jupiter.api.Test
    void aConfigurationErrorExitsWithTwoAndSaysWhichSetting() {
        String[] out = new String[1];
        int code = capture(() -> Main.run("serve", "--transport", "carrier-pigeon", "--log-level", "off"), out);
        assertThat(code).isEqualTo(2);
        assertThat(out[0]).startsWith("ops-mcp: configuration error: ").contains("carrier-pigeon");
    }

    private static ServeCommand picocli(String... args) {
        CommandLine cli = new CommandLine(new Main.ServeOnly());
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (ServeCommand) result.subcommand().commandSpec().userObject();
    }

    private static List<Object> state(ServeCommand c) {
        return Arrays.asList(
                c.transport,
                c.bind,
                c.port,
                c.stateless,
                c.options.config,
                c.options.toolsets,
                c.options.sandbox,
                c.options.dataDir,
                c.options.logLevel,
                c.toolList.readOnly,
                c.toolList.include,
                c.toolList.exclude,
                c.toolList.discovery);
    }

    private static int capture(java.util.function.IntSupplier run, String[] out) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return run.getAsInt();
        } finally {
            System.setErr(stderr);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
