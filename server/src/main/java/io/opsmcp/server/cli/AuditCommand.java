package io.opsmcp.server.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.store.AuditEntry;
import io.opsmcp.server.store.AuditEvent;
import io.opsmcp.server.store.Stores;
import io.opsmcp.server.store.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops-mcp audit tail|verify|export}: reads the audit log in the configured store (the embedded file in
 * the data directory, or PostgreSQL), also while a server is using it.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read and check the tamper-evident audit log of the configured store.",
        subcommands = {AuditCommand.Tail.class, AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand {

    private static Stores open(ConfigOptions options) {
        OpsMcpConfig config = options.load(null, null, null);
        Main.applyLogging(config);
        return Stores.open(config.tree().get("store"), config.server().dataDir());
    }

    /** {@code ops-mcp audit tail [-n N] [--json]}: the newest records, oldest first. */
    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the newest audit records.")
    static final class Tail implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20",
                description = "How many records (default: ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = "--json", description = "One JSON object per line, as export writes them.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Stores stores = open(options)) {
                for (AuditEntry entry : stores.audit().tail(lines)) {
                    out.println(json ? entry.toJson().toString() : line(entry));
                }
            }
            out.flush();
            return 0;
        }

        /** {@code seq time principal tool decision phase [approval] [reasons] [error]} on one line. */
        static String line(AuditEntry entry) {
            AuditEvent e = entry.event();
            StringBuilder line = new StringBuilder().append(entry.seq()).append("  ").append(e.time())
                    .append("  ").append(e.principal()).append("  ").append(dash(e.tool()))
                    .append("  ").append(dash(e.decision())).append("  ").append(e.phase());
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

    /** {@code ops-mcp audit verify}: exit 0 when the chain is intact, 1 naming the first broken seq. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the hash chain. Exit 0 when intact; 1 naming the first record that was edited,"
                    + " deleted or reordered.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            VerifyResult result;
            try (Stores stores = open(options)) {
                result = stores.audit().verify();
            }
            PrintWriter out = result.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr();
            out.println(result.message());
            out.flush();
            return result.ok() ? 0 : 1;
        }
    }

    /** {@code ops-mcp audit export [--output FILE]}: every record as JSON lines. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every audit record, in order, as JSON lines (with seq, prev_hash and hash).")
    static final class Export implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of to stdout.")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Stores stores = open(options)) {
                if (output == null) {
                    Writer out = spec.commandLine().getOut();
                    stores.audit().export(out);
                    out.flush();
                } else {
                    try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                        stores.audit().export(out);
                    }
                    spec.commandLine().getErr().println("audit log exported to " + output);
                }
            }
            return 0;
        }
    }
}
