package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Item 2 of the guard hardening: a vote from {@code ops-mcp approvals approve|deny} is cast only as the principal
 * whose {@code principals[].os_user} is the OS user running the CLI (as the kernel tells the server), with the
 * roles of the server's configuration. Environment variables, {@code --as} and a configuration file of the
 * caller's own cannot make anyone an approver. Attacks run the real CLI in its own JVM against a running server,
 * and against the store directly when no server runs.
 */
class CliVotesNeedMappedOsUserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path scratch;

    private Path dataDir;
    private Path config;
    private OpsMcpRuntime server;
    private String me;

    @BeforeEach
    void startServer() throws Exception {
        me = System.getProperty("user.name");
        dataDir = scratch.resolve("data");
        config = scratch.resolve("ops-mcp.yaml");
        Files.writeString(config, """
                identity: {id: eve, roles: [sre]}
                principals:
                  - {id: bob, roles: [sre-lead], os_user: some-other-user}
                  - {id: carol, roles: [sre-lead], os_user: "%s"}
                """.formatted(me));
        server = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides("http", "127.0.0.1", 0, List.of("hosts"), false, "warn", dataDir)));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Requested by alice, so that eve's vote would count if eve were an approver. */
    private String prodChange() {
        Instant now = Instant.now();
        return server.approvals()
                .create(new Approval(
                        null,
                        "host_service_restart",
                        CanonicalJson.sha256Hex(JSON.readTree("{\"host\":\"web-1\",\"unit\":\"nginx\"}")),
                        "alice",
                        JSON.readTree(
                                "{\"provider\":\"ssh\",\"kind\":\"host\",\"environment\":\"prod\",\"name\":\"web-1\"}"),
                        "restart nginx on web-1",
                        1,
                        List.of("sre-lead"),
                        false,
                        now,
                        now.plus(Duration.ofMinutes(15)),
                        null,
                        null,
                        null,
                        "prod changes need approval by an sre-lead"))
                .id();
    }

    private LocalAttacker.Result cli(Map<String, String> env, Path configFile, String... args) throws Exception {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = configFile.toString();
        full[args.length + 2] = "--data-dir";
        full[args.length + 3] = dataDir.toString();
        return LocalAttacker.cli(env, full);
    }

    private Approval.Status status(String id) {
        return server.stores().approvals().find(id).orElseThrow().status();
    }

    @Test
    void theRequesterCannotMintAnApproverFromTheEnvironment() throws Exception {
        String id = prodChange();
        LocalAttacker.Result forged = cli(
                Map.of("OPS_MCP_PRINCIPAL", "eve", "OPS_MCP_ROLES", "sre-lead"),
                config,
                "approvals",
                "approve",
                id,
                "--as",
                "eve");
        assertThat(forged.exit()).as(forged.all()).isNotZero();
        assertThat(forged.err()).contains("may vote only as carol");
        assertThat(status(id)).isEqualTo(Approval.Status.PENDING);
    }

    @Test
    void asCannotBorrowAnotherOsUsersApprover() throws Exception {
        String id = prodChange();
        LocalAttacker.Result borrowed = cli(Map.of(), config, "approvals", "approve", id, "--as", "bob");
        assertThat(borrowed.exit()).as(borrowed.all()).isNotZero();
        assertThat(status(id)).isEqualTo(Approval.Status.PENDING);
        assertThat(server.stores().approvals().find(id).orElseThrow().votes()).isEmpty();
    }

    @Test
    void aConfigFileOfTheCallersOwnDoesNotDecideWhoVotes() throws Exception {
        String id = prodChange();
        Path mine = scratch.resolve("mine.yaml");
        Files.writeString(mine, """
                principals:
                  - {id: mallory, roles: [sre-lead], os_user: "%s"}
                """.formatted(me));
        LocalAttacker.Result forged = cli(Map.of(), mine, "approvals", "approve", id, "--as", "mallory");
        assertThat(forged.exit()).as(forged.all()).isNotZero();
        assertThat(status(id)).isEqualTo(Approval.Status.PENDING);
    }

    @Test
    void theMappedOsUserVotesAsItsPrincipal() throws Exception {
        String id = prodChange();
        LocalAttacker.Result vote = cli(Map.of(), config, "approvals", "approve", id, "--reason", "looked at it");
        assertThat(vote.exit()).as(vote.all()).isZero();
        Approval after = server.stores().approvals().find(id).orElseThrow();
        assertThat(after.status()).isEqualTo(Approval.Status.APPROVED);
        assertThat(after.votes()).extracting(Approval.Vote::principal).containsExactly("carol");
    }

    @Test
    void onASharedSocketTheKernelSaysWhoVotes() throws Exception {
        assumeTrue(LocalAttacker.root(), "needs root to act as another OS user (runuser -u nobody); CI runs as root");
        server.close();
        // Approvers with their own OS accounts: the socket outside the 0700 data directory, open to every local user.
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = scratch.resolve("run").resolve("ops-mcp.sock");
        Files.writeString(config, """
                identity: {id: eve, roles: [sre]}
                control_socket: "%s"
                principals:
                  - {id: dora, roles: [sre-lead], os_user: nobody}
                  - {id: carol, roles: [sre-lead], os_user: "%s"}
                """.formatted(socket, me));
        server = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides("http", "127.0.0.1", 0, List.of("hosts"), false, "warn", dataDir)));
        String id = prodChange();

        // nobody claims carol: the server answers as dora, the principal its own configuration maps to nobody
        LocalAttacker.Result claim =
                LocalAttacker.connectAsNobody(socket, scratch, "approvals", "approve", id, "--as", "carol");
        assertThat(claim.out()).as(claim.all()).contains("may vote only as dora");
        assertThat(status(id)).isEqualTo(Approval.Status.PENDING);

        LocalAttacker.Result vote = LocalAttacker.connectAsNobody(socket, scratch, "approvals", "approve", id);
        assertThat(vote.out()).as(vote.all()).contains("approved by dora");
        assertThat(server.stores().approvals().find(id).orElseThrow().votes())
                .extracting(Approval.Vote::principal)
                .containsExactly("dora");

        // and an OS user the configuration does not map gets no answer at all
        server.close();
        Files.writeString(config, """
                identity: {id: eve, roles: [sre]}
                control_socket: "%s"
                principals:
                  - {id: carol, roles: [sre-lead], os_user: "%s"}
                """.formatted(socket, me));
        server = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides("http", "127.0.0.1", 0, List.of("hosts"), false, "warn", dataDir)));
        LocalAttacker.Result stranger = LocalAttacker.connectAsNobody(socket, scratch, "approvals", "list");
        assertThat(stranger.out())
                .as(stranger.all())
                .contains("OS user nobody may not use this server's control socket")
                .doesNotContain(id);
    }

    @Test
    void withoutAServerTheEnvironmentStillMintsNoApprover() throws Exception {
        String id = prodChange();
        server.close();
        server = null;
        LocalAttacker.Result forged = cli(
                Map.of("OPS_MCP_PRINCIPAL", "eve", "OPS_MCP_ROLES", "sre-lead"),
                config,
                "approvals",
                "approve",
                id,
                "--as",
                "eve");
        assertThat(forged.exit()).as(forged.all()).isNotZero();
        LocalAttacker.Result show = cli(Map.of(), config, "approvals", "show", id);
        assertThat(show.out()).contains("PENDING").doesNotContain("approved by");
    }
}
