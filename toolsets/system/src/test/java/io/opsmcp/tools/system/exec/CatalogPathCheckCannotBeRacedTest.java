package io.opsmcp.tools.system.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import io.opsmcp.tools.system.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Issue 10 item 7: the allowlist check of a catalog path parameter and the read cannot be pulled apart. While
 * {@code host_tail_file} reads {@code allowed/d/app.log} again and again, another thread keeps replacing the
 * directory {@code allowed/d} with a symbolic link to a directory outside the allowlist that holds a secret
 * {@code app.log}. Not one call may return the secret. Runs against the embedded sandbox SSH server and against a
 * real OpenSSH sshd (when {@code /usr/sbin/sshd} exists; {@code ci/sshd/install.sh}). Bounded: 400 calls or 30 s.
 */
class CatalogPathCheckCannotBeRacedTest {

    private static final String SECRET = "TOP-SECRET-outside-the-allowlist";
    private static final int CALLS = 400;
    private static final Duration BUDGET = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void againstTheSandboxSshServer() throws Exception {
        try (SandboxSshServer sandbox = SandboxSshServer.start(dir.resolve("sandbox"))) {
            ObjectNode settings = settings();
            settings.putObject("ssh")
                    .put("known_hosts", dir.resolve("no-such-known-hosts").toString());
            settings.putArray("hosts").add(sandbox.hostConfig());
            race(settings, sandbox.hostConfig().get("name").asString(), "sandbox");
        }
    }

    @Test
    void againstOpenSsh() throws Exception {
        try (OpenSshd sshd = OpenSshd.startOrSkip(Files.createDirectories(dir.resolve("sshd")))) {
            ObjectNode settings = settings();
            settings.putObject("ssh").put("known_hosts", sshd.knownHosts().toString());
            settings.putArray("hosts").add(sshd.hostConfig("race-openssh"));
            race(settings, "race-openssh", "OpenSSH");
        }
    }

    private ObjectNode settings() throws IOException {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        ArrayNode commands = settings.putObject("host_catalog").putArray("commands");
        commands.add(YAMLMapper.builder().build().readTree("""
                name: tail_file
                description: Tail (allowlist in the test directory).
                argv: [tail, -n, "${lines}", --, "${path}"]
                parameters:
                  path: {type: path, required: true, globs: ["%s/**"], description: path}
                  lines: {type: integer, min: 1, max: 5000, default: 200, description: lines}
                """.formatted(dir.resolve("allowed"))));
        return settings;
    }

    private void race(ObjectNode settings, String host, String server) throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path secretDir = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secretDir.resolve("app.log"), SECRET + "\n");
        Path d = allowed.resolve("d");
        makeDirectory(d);
        Path target = d.resolve("app.log");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = new Thread(
                () -> {
                    // Renames only, so that the path is missing for microseconds at most: the directory is moved aside
                    // and
                    // a ready-made link to the secret directory takes its name, then back.
                    Path stash = allowed.resolve("d-stash");
                    Path link = allowed.resolve("d-link");
                    try {
                        Files.createSymbolicLink(link, secretDir);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    while (!stop.get()) {
                        try {
                            Files.move(d, stash);
                            Files.move(link, d);
                            Thread.sleep(2);
                            Files.move(d, link);
                            Files.move(stash, d);
                            Thread.sleep(2);
                            swaps.incrementAndGet();
                        } catch (IOException | InterruptedException e) {
                            stop.set(true);
                        }
                    }
                },
                "symlink-swapper");

        long ok = 0;
        long refused = 0;
        long notFound = 0;
        long leaks = 0;
        long attempts = 0;
        try (HostToolset toolset = (HostToolset) new HostToolsetProvider().create(settings, dir)) {
            OpsTool tail = toolset.tools().stream()
                    .filter(t -> t.definition().name().equals("host_tail_file"))
                    .findFirst()
                    .orElseThrow();
            ObjectNode args =
                    JsonNodeFactory.instance.objectNode().put("host", host).put("path", target.toString());
            ToolContext ctx = new ToolContext(
                    new Principal("racer", Set.of("sre"), "local"),
                    "req-race",
                    Instant.now().plusSeconds(300),
                    null,
                    null);
            assertThat(tail.execute(args, ctx).text())
                    .as("before the race: the allowed file is read")
                    .contains("allowed-line");

            swapper.start();
            Instant end = Instant.now().plus(BUDGET);
            while (attempts < CALLS && Instant.now().isBefore(end)) {
                attempts++;
                try {
                    ToolResult r = tail.execute(args, ctx);
                    String out = r.text() + r.structuredContent();
                    if (out.contains(SECRET)) {
                        leaks++;
                    } else if (out.contains("allowed-line")) {
                        ok++;
                    } else {
                        notFound++; // tail ran on a path that was briefly missing
                    }
                } catch (ToolException e) {
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                    if (e.kind() == ToolException.Kind.FORBIDDEN) {
                        refused++;
                    } else {
                        notFound++;
                    }
                }
            }
        } finally {
            stop.set(true);
            swapper.join(10_000);
        }
        System.out.printf(
                "%s symlink race: %d attempts, %d swaps, %d read the allowed file, %d refused,"
                        + " %d missing, %d leaked%n",
                server, attempts, swaps.get(), ok, refused, notFound, leaks);
        assertThat(swaps.get()).as("the swapper ran during the calls").isGreaterThan(0);
        assertThat(leaks)
                .as("calls that returned the file outside the allowlist")
                .isZero();
    }

    private static void makeDirectory(Path d) throws IOException {
        Path fresh = Files.createDirectories(d);
        Files.writeString(fresh.resolve("app.log"), "allowed-line\n", StandardCharsets.UTF_8);
    }
}
