package io.opsmcp.server.cli;

import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.VerifyResult;
import io.opsmcp.server.config.ConfigException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops-mcp audit tail|verify|export}: reads the audit log in the configured store (the embedded file in
 * the data directory, or PostgreSQL), also while a server is using it (through its control socket).
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Read and check the tamper-evident audit log of the configured store.",
        subcommands = {AuditCommand.Tail.class, AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand {

    /** {@code ops-mcp audit tail [-n N] [--json]}: the newest records, oldest first. */
    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the newest audit records.")
    static final class Tail extends StoreCommand {

        @Option(
                names = {"-n", "--lines"},
                paramLabel = "N",
                defaultValue = "20",
                description = "How many records (default: ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = "--json", description = "One JSON object per line, as export writes them.")
        boolean json;

        @Override
        List<String> remoteArgs() {
            List<String> args = new ArrayList<>(List.of("audit", "tail", "-n", Integer.toString(lines)));
            if (json) {
                args.add("--json");
            }
            return args;
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) {
            for (AuditEntry entry : session.stores().audit().tail(lines)) {
                out.println(json ? entry.toJson().toString() : line(entry));
            }
            return 0;
        }

        /** {@code seq time principal tool decision phase [approval] [reasons] [error]} on one line. */
        static String line(AuditEntry entry) {
            AuditEvent e = entry.event();
            StringBuilder line = new StringBuilder()
                    .append(entry.seq())
                    .append("  ")
                    .append(e.time())
                    .append("  ")
                    .append(e.principal())
                    .append("  ")
                    .append(dash(e.tool()))
                    .append("  ")
                    .append(dash(e.decision() == null ? null : e.decision().wire()))
                    .append("  ")
                    .append(e.phase().wire());
            if (e.approvalId() != null) {
                line.append("  ").append(e.approvalId());
            }
            if (!e.reasons().isEmpty()) {
                line.append("  \"").append(String.join("; ", e.reasons())).append('"');
            }
            if (e.error() != null) {
                line.append("  error: ").append(e.error());
            }
            return line.toString().replace('\n', ' ');
        }

        private static String dash(String value) {
            return value == null ? "-" : value;
        }
    }

    /**
     * {@code ops-mcp audit verify [--checkpoints FILE]…}: exit 0 when the chain is intact and its end matches the
     * signed checkpoints, 1 naming the first broken seq or the newest checkpoint the database no longer reaches.
     */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Recompute the hash chain and check its end against the signed checkpoints kept outside the"
                    + " database. Exit 0 when intact; 1 naming the first record that was edited, deleted or reordered,"
                    + " or the newest checkpoint the database no longer reaches (truncated or rewound).")
    static final class Verify extends StoreCommand {

        @Option(
                names = "--checkpoints",
                paramLabel = "FILE",
                description = "Checkpoint files to check against, e.g. one per replica of a PostgreSQL deployment"
                        + " (default: audit-checkpoints.jsonl in the data directory). Repeatable.")
        List<Path> checkpoints;

        @Override
        List<String> remoteArgs() {
            if (checkpoints != null && !checkpoints.isEmpty()) {
                // The server must not read files named by its client; it checks its own checkpoint file.
                throw new ConfigException("--checkpoints: not available while a server holds the embedded store;"
                        + " it checks its own " + AuditAnchor.FILE + " (run without --checkpoints)");
            }
            return List.of("audit", "verify");
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) {
            AuditAnchor anchor = session.stores().anchor();
            List<Path> files = checkpoints == null || checkpoints.isEmpty() ? List.of(anchor.file()) : checkpoints;
            // Checkpoints first: each was written after its record was committed, so the chain read next reaches it.
            List<AuditAnchor.Checkpoints> read =
                    files.stream().map(anchor::read).toList();
            VerifyResult chain = session.stores().audit().verify();
            VerifyResult result = AuditAnchor.check(
                    chain, read, seq -> session.stores().audit().hashAt(seq));
            (result.ok() ? out : err).println(result.message());
            return result.ok() ? 0 : 1;
        }
    }

    /** {@code ops-mcp audit export [--output FILE]}: every record as JSON lines. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write every audit record, in order, as JSON lines (with seq, prev_hash and hash).")
    static final class Export extends StoreCommand {

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write here instead of to stdout.")
        Path output;

        @Override
        List<String> remoteArgs() {
            return List.of("audit", "export"); // the file is written here, by the caller, never by the server
        }

        @Override
        Writer remoteOut(PrintWriter out) throws IOException {
            return output == null ? out : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) throws IOException {
            if (output == null) {
                session.stores().audit().export(out);
                out.flush();
            } else {
                try (BufferedWriter file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    session.stores().audit().export(file);
                }
                err.println("audit log exported to " + output);
            }
            return 0;
        }
    }
}
