package io.opsmcp.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.server.cli.OpsMcpCommand;
import io.opsmcp.store.jdbc.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ops-mcp audit tail|verify|export} against the embedded store in a data directory. */
class AuditCommandTest {

    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new OpsMcpCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private void appendThree() {
        try (Stores stores = Stores.open(null, dataDir)) {
            for (String principal : List.of("alice", "bob", "carol")) {
                stores.audit()
                        .append(AuditEvent.builder(Instant.now(), principal, AuditEvent.Phase.INTENT)
                                .requestId("r")
                                .auth("local")
                                .tool("host_service_restart", "hosts")
                                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("dev change"))
                                .build());
            }
        }
    }

    @Test
    void verifyExitsZeroOnAnIntactChainAndOneNamingTheFirstBrokenSeq() throws Exception {
        appendThree();

        assertThat(run("audit", "verify", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString()).contains("audit chain intact: 3 records");

        try (Stores stores = Stores.open(null, dataDir);
                Connection c = stores.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_log SET tool = 'host_exec' WHERE seq = 2");
        }
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("audit chain broken at seq 2:");
    }

    @Test
    void tailPrintsTheNewestRecordsOldestFirst() {
        appendThree();

        assertThat(run("audit", "tail", "-n", "2", "--data-dir", dataDir.toString()))
                .isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("2  ").contains("bob  host_service_restart  allow  intent  \"dev change\"");
        assertThat(lines.get(1)).startsWith("3  ").contains("carol");
    }

    @Test
    void exportWritesJsonLinesToAFile() throws Exception {
        appendThree();
        Path file = dataDir.resolve("audit-export.jsonl");

        assertThat(run("audit", "export", "--output", file.toString(), "--data-dir", dataDir.toString()))
                .isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .contains("\"seq\":1")
                .contains("\"principal\":\"alice\"")
                .contains("\"hash\":");
    }
}
