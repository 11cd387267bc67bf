package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Connection features and the mutating tools against a real OpenSSH server: ProxyJump through a bastion,
 * trust_on_first_use (pinned, visible, a changed key refused), the per-host concurrency limit, host completion,
 * and host_service_restart / host_service_reload / host_exec. The server sets {@code PATH} for sessions to a
 * directory with a stand-in {@code service} command that records its arguments (the test machine has no systemd).
 */
class HostSshFeaturesOpenSshTest {

    @TempDir
    static Path dir;

    static OpenSshd sshd;
    static Path shims;
    static Path serviceLog;
    static HostToolset toolset;

    @BeforeAll
    static void start() throws Exception {
        shims = Files.createDirectories(dir.resolve("shims"));
        serviceLog = dir.resolve("service.log");
        Path service = shims.resolve("service");
        Files.writeString(
                service,
                "#!/bin/sh\necho \"$*\" >> " + serviceLog + "\n"
                        + "case \"$2\" in status) echo \"$1 is running\"; exit 0;; *) echo \"$2 $1: ok\";; esac\n");
        Files.setPosixFilePermissions(service, PosixFilePermissions.fromString("rwxr-xr-x"));
        sshd = OpenSshd.startOrSkip(dir, "SetEnv PATH=" + shims + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        Files.writeString(dir.resolve("empty_known_hosts"), "");
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", sshd.knownHosts().toString())
                .put("tofu_known_hosts", dir.resolve("tofu_known_hosts").toString());
        ArrayNode hosts = settings.putArray("hosts");
        hosts.add(sshd.hostConfig("bastion"));
        hosts.add(sshd.hostConfig("app-behind-bastion").put("proxy_jump", "bastion"));
        hosts.add(sshd.hostConfig("lab-1")
                .put("trust_on_first_use", true)
                .put("known_hosts", dir.resolve("empty_known_hosts").toString()));
        hosts.add(sshd.hostConfig("single").put("max_concurrent", 1));
        settings.putObject("host_changes").putObject("exec").put("enabled", true);
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (toolset != null) {
            toolset.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    /** A dry run as the gateway passes it: decided from the {@code dry_run} argument into the context. */
    static ToolContext dryRunCtx(int seconds) {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-ssh",
                Instant.now().plusSeconds(seconds),
                null,
                null,
                true,
                ToolContext.Cancellation.NONE);
    }

    static ToolContext ctx(int seconds) {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-ssh",
                Instant.now().plusSeconds(seconds),
                null,
                null);
    }

    static OpsTool tool(String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ObjectNode args(String host) {
        return JsonNodeFactory.instance.objectNode().put("host", host);
    }

    @Test
    void proxyJumpReachesTheHostThroughTheBastion() throws Exception {
        ObjectNode a = args("app-behind-bastion");
        ActionDescriptor d = tool("host_uptime_load").describe(a, ctx(30));
        assertThat(d.ids()).containsEntry("proxy_jump", "bastion").containsEntry("host_key_check", "known_hosts");
        ToolResult r = tool("host_uptime_load").execute(a, ctx(30));
        assertThat(r.error()).isFalse();
        assertThat(r.structuredContent().get("host").asString()).isEqualTo("app-behind-bastion");
        // the bastion opened a direct-tcpip channel to the target (RFC 4254 7.2), as OpenSSH's ProxyJump does
        assertThat(sshd.log()).contains("direct-tcpip").contains("port " + sshd.port());
    }

    @Test
    void trustOnFirstUsePinsTheKeyAndIsVisible() throws Exception {
        Path tofu = dir.resolve("tofu_known_hosts");
        ActionDescriptor d = tool("host_listening_ports").describe(args("lab-1"), ctx(30));
        assertThat(d.ids()).containsEntry("host_key_check", "trust_on_first_use");
        ToolResult r = tool("host_listening_ports").execute(args("lab-1"), ctx(30));
        assertThat(r.structuredContent().get("host_key_check").asString()).isEqualTo("trust_on_first_use");
        assertThat(r.text()).contains("trusted on first use, not verified");
        String hostKey = Files.readString(dir.resolve("host_key.pub")).split(" ")[1];
        assertThat(Files.readString(tofu))
                .contains("[127.0.0.1]:" + sshd.port())
                .contains(hostKey);

        // a different key pinned for the address: refused as changed, nothing runs
        OpenSshd.exec(
                Map.of(),
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("other").toString());
        Path otherTofu = Files.writeString(
                dir.resolve("other_tofu"),
                "[127.0.0.1]:" + sshd.port() + " " + Files.readString(dir.resolve("other.pub")));
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", dir.resolve("empty_known_hosts").toString())
                .put("tofu_known_hosts", otherTofu.toString());
        settings.putArray("hosts").add(sshd.hostConfig("lab-2").put("trust_on_first_use", true));
        try (HostToolset other = (HostToolset) new HostToolsetProvider().create(settings, dir)) {
            OpsTool t = other.tools().stream()
                    .filter(x -> x.definition().name().equals("host_memory"))
                    .findFirst()
                    .orElseThrow();
            assertThatThrownBy(() -> t.execute(args("lab-2"), ctx(30)))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("has CHANGED since it was trusted on first use");
        }
    }

    @Test
    void perHostConcurrencyLimitMakesFurtherCallsWaitAndGiveUpAtTheirDeadline() throws Exception {
        ObjectNode command = args("single").put("command", "sleep 4");
        CompletableFuture<ToolResult> first =
                CompletableFuture.supplyAsync(() -> tool("host_exec").execute(command, ctx(30)));
        // wait until the first command holds the only slot (its sleep runs under sshd)
        for (int i = 0;
                i < 50
                        && sshd.handle()
                                .descendants()
                                .noneMatch(p -> p.info()
                                        .commandLine()
                                        .map(c -> c.endsWith("sleep 4"))
                                        .orElse(false));
                i++) {
            Thread.sleep(100);
        }
        assertThatThrownBy(() -> tool("host_memory").execute(args("single"), ctx(1)))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("single is busy: 1 commands are already running");
        assertThat(first.get(30, TimeUnit.SECONDS)
                        .structuredContent()
                        .get("exit_status")
                        .asInt())
                .isZero();
        assertThat(tool("host_memory").execute(args("single"), ctx(30)).error()).isFalse();
    }

    @Test
    void hostNamesAreCompleted() {
        assertThat(toolset.complete("host", "b", Map.of())).containsExactly("bastion", "app-behind-bastion", "lab-1");
        assertThat(toolset.complete("host", "", Map.of()))
                .containsExactly("bastion", "app-behind-bastion", "lab-1", "single");
        assertThat(toolset.complete("host", "LAB", Map.of())).containsExactly("lab-1");
        assertThat(toolset.complete("cluster", "", Map.of())).isEmpty();
    }

    @Test
    void serviceRestartDryRunChangesNothingAndTheRealRunReportsTheNewState() throws Exception {
        Files.deleteIfExists(serviceLog);
        OpsTool restart = tool("host_service_restart");
        assertThat(restart.definition().readOnly()).isFalse();
        assertThat(restart.definition().annotations().destructiveHint()).isTrue();
        assertThat(restart.definition().destructive()).as("to the policy").isFalse();
        ObjectNode a = args("bastion").put("unit", "nginx.service");
        ActionDescriptor d = restart.describe(a, ctx(30));
        assertThat(d.change().summary()).isEqualTo("restart nginx.service on bastion");
        assertThat(d.ids()).containsEntry("unit", "nginx.service");

        ToolResult dry = restart.execute(a.deepCopy().put("dry_run", true), dryRunCtx(30));
        assertThat(dry.text()).contains("dry run: would run `service nginx restart`");
        assertThat(Files.exists(serviceLog) ? Files.readString(serviceLog) : "").doesNotContain("restart");

        ToolResult r = restart.execute(a, ctx(30));
        assertThat(r.error()).isFalse();
        assertThat(Files.readAllLines(serviceLog)).contains("nginx restart", "nginx status");
        assertThat(r.structuredContent().get("state").get("ActiveState").asString())
                .isEqualTo("running");

        ToolResult reload = tool("host_service_reload").execute(args("bastion").put("unit", "nginx"), ctx(30));
        assertThat(reload.error()).isFalse();
        assertThat(Files.readAllLines(serviceLog)).contains("nginx reload");
    }

    @Test
    void hostExecClassifiesRunsAndHonoursDryRun() throws Exception {
        OpsTool exec = tool("host_exec");
        assertThat(exec.definition().destructive()).isTrue();
        Path marker = dir.resolve("marker");
        ObjectNode touch = args("bastion").put("command", "touch " + marker);
        assertThat(exec.describe(touch, ctx(30)).facts()).containsEntry("command_class", "write");
        ToolResult dry = exec.execute(touch.deepCopy().put("dry_run", true), dryRunCtx(30));
        assertThat(dry.text()).contains("is classed write");
        assertThat(marker).doesNotExist();
        exec.execute(touch, ctx(30));
        assertThat(marker).exists();

        ObjectNode rm = args("bastion").put("command", "rm -rf /var/cache/app");
        ActionDescriptor d = exec.describe(rm, ctx(30));
        assertThat(d.facts()).containsEntry("command_class", "destructive");
        assertThat(d.change().summary()).contains("destructive: rm -r/-f");

        ToolResult read = exec.execute(args("bastion").put("command", "echo hello | tr a-z A-Z"), ctx(30));
        assertThat(read.structuredContent().get("command_class").asString()).isEqualTo("read");
        assertThat(read.structuredContent().get("stdout").asString()).isEqualTo("HELLO\n");
    }

    @Test
    void hostExecExistsOnlyWhenEnabled() {
        List<String> names;
        try (HostToolset plain = new HostToolset(
                toolsetConfigWithoutExec(),
                new io.opsmcp.tools.system.ssh.SshExecutor(
                        toolsetConfigWithoutExec().ssh(), null))) {
            names = plain.tools().stream().map(t -> t.definition().name()).toList();
        }
        assertThat(names)
                .contains("host_service_restart", "host_service_reload", "host_tail_file")
                .doesNotContain("host_exec");
    }

    private static io.opsmcp.tools.system.config.HostsConfig toolsetConfigWithoutExec() {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putArray("hosts").add(sshd.hostConfig("bastion"));
        return io.opsmcp.tools.system.config.HostsConfig.parse(settings, dir);
    }
}
