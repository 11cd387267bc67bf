package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 1 of the guard hardening: the embedded store (the approvals and the audit log) is reachable only by the
 * service user. A running server holds it with no TCP listener; the data directory is 0700 and its files 0600;
 * the database does not open with a guessable credential; another local OS user can neither read the files, nor
 * open the store, nor talk to the control socket; and the CLI of the service user still works beside the server.
 */
class EmbeddedStoreIsPrivateTest {

    @TempDir
    Path scratch;

    private Path dataDir;
    private Path config;
    private OpsMcpRuntime server;

    @BeforeEach
    void startServer() throws Exception {
        // Other users may walk up to the data directory: only its own mode keeps them out.
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDir = scratch.resolve("data");
        config = scratch.resolve("ops-mcp.yaml");
        Files.writeString(config, "identity: {id: alice, roles: [sre]}\n");
        Set<Integer> before = LocalAttacker.listeningTcpPorts();
        server = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides("http", "127.0.0.1", 0, List.of("hosts"), false, "warn", dataDir)));
        Set<Integer> after = LocalAttacker.listeningTcpPorts();
        after.removeAll(before);
        assertThat(after).as("TCP ports the store opened (H2 AUTO_SERVER)").isEmpty();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDataDirectoryIs0700AndEveryFileInIt0600() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        List<String> loose;
        try (Stream<Path> files = Files.list(dataDir)) {
            loose = files.filter(f -> !Files.isDirectory(f))
                    .filter(f -> {
                        try {
                            return !PosixFilePermissions.toString(Files.getPosixFilePermissions(f))
                                    .equals("rw-------");
                        } catch (java.io.IOException e) {
                            return true;
                        }
                    })
                    .map(f -> f.getFileName().toString())
                    .toList();
        }
        assertThat(loose).as("files in the data dir not 0600").isEmpty();
        assertThat(dataDir.resolve("ops-mcp.mv.db")).exists();
    }

    @Test
    void theStoreDoesNotOpenWithTheOldDefaultCredential() {
        server.close();
        server = null;
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ops-mcp");
        for (String[] guess : new String[][] {{"sa", ""}, {"sa", "sa"}, {"", ""}}) {
            assertThatThrownBy(() -> DriverManager.getConnection(url + ";IFEXISTS=TRUE", guess[0], guess[1])
                            .close())
                    .as("user '%s' password '%s'", guess[0], guess[1])
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void anotherLocalUserCanNeitherReadNorOpenTheStoreNorUseTheControlSocket() throws Exception {
        assumeTrue(LocalAttacker.root(), "needs root to act as another OS user (runuser -u nobody); CI runs as root");
        Path db = dataDir.resolve("ops-mcp.mv.db");
        Path socket = dataDir.resolve("ops-mcp.sock");
        assertThat(socket).exists();

        LocalAttacker.Result cat = LocalAttacker.asNobody("cat", db.toString());
        assertThat(cat.exit()).as("cat the database as nobody: %s", cat.err()).isNotZero();
        assertThat(cat.err()).contains("Permission denied");

        LocalAttacker.Result list = LocalAttacker.asNobody("ls", dataDir.toString());
        assertThat(list.exit()).isNotZero();

        for (String secret : List.of("store.secret", "audit.key", "audit-checkpoints.jsonl")) {
            assertThat(LocalAttacker.asNobody("cat", dataDir.resolve(secret).toString())
                            .exit())
                    .as(secret)
                    .isNotZero();
        }

        LocalAttacker.Result connect = LocalAttacker.connectAsNobody(socket, scratch);
        assertThat(connect.out())
                .as("nobody connected to the control socket: %s", connect.all())
                .doesNotContain("CONNECTED");
        assertThat(connect.all()).containsIgnoringCase("Permission denied");
    }

    @Test
    void theServiceUsersCliStillWorksBesideTheRunningServer() throws Exception {
        LocalAttacker.Result list = LocalAttacker.cli(
                Map.of(), "approvals", "list", "--config", config.toString(), "--data-dir", dataDir.toString());
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.out()).contains("no pending approval requests");

        LocalAttacker.Result verify = LocalAttacker.cli(
                Map.of(), "audit", "verify", "--config", config.toString(), "--data-dir", dataDir.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    @Test
    void aSecondServerOnTheSameDataDirSaysWhatToDoWithoutAStackTrace() throws Exception {
        // one process owns the embedded store (no TCP listener to share it through): a second server must stop (once
        // Stores.HELD_WAIT has passed: the first one is not shutting down) and tell the operator the two ways out,
        // not print a trace (stdio clients show stderr to users)
        LocalAttacker.Result second = LocalAttacker.cli(
                Map.of(),
                "serve",
                "--transport",
                "stdio",
                "--config",
                config.toString(),
                "--data-dir",
                dataDir.toString(),
                "--log-level",
                "warn");
        assertThat(second.exit()).as(second.all()).isEqualTo(1);
        assertThat(second.err())
                .contains("held by another process")
                .contains("its own data_dir")
                .contains("store.type: postgres");
        assertThat(second.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(second.out()).as("stdout carries JSON-RPC only").isEmpty();
    }
}
