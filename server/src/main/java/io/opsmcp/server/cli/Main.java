package io.opsmcp.server.cli;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.guard.StoreException;
import io.opsmcp.server.config.OpsMcpConfig;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ops-mcp} command line (the app module's entry point adds {@code demo} to it). Exit codes: 0 success, 1 failure at run time, 2 usage or configuration
 * error (the message says which setting and why; no stack trace).
 */
public final class Main {

    /** picocli's system property that turns off its support for Groovy closures in annotations. */
    static final String NO_CLOSURES = "picocli.disable.closures";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return run(List.of(), args);
    }

    /**
     * Runs the command line with {@code extraSubcommands} (picocli {@code @Command} instances, e.g. the app's
     * {@code demo}) after the server's own, and returns the exit code.
     */
    public static int run(List<?> extraSubcommands, String... args) {
        // picocli's documented switch (no command here is a Groovy closure): without it, picocli's DefaultFactory
        // looks for groovy.lang.Closure when first used, and that miss walks the whole class path, opening each of
        // its ~200 jars on the main thread before the command runs. An operator's own -D setting is kept.
        if (System.getProperty(NO_CLOSURES) == null) {
            System.setProperty(NO_CLOSURES, "true");
        }
        CommandLine cli;
        if (args.length > 0 && "serve".equals(args[0])) {
            if (!ConfigWarmUp.namesHttp(args)) {
                ConfigWarmUp.start();
            }
            // picocli reflects over every command it is given, each subcommand's options and mixins: a third of the
            // main thread's work before a stdio server answers initialize. `serve` needs only its own.
            cli = new CommandLine(new ServeOnly());
        } else {
            cli = new CommandLine(new OpsMcpCommand());
            extraSubcommands.forEach(cli::addSubcommand);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidConfigException) {
                commandLine.getErr().println("ops-mcp: configuration error: " + e.getMessage());
                return 2;
            }
            if (e instanceof StoreException) {
                // an expected condition (store held, unreachable, full disk) with a message that says what to do:
                // the trace only at debug
                LoggerFactory.getLogger(Main.class).debug("ops-mcp failed", e);
            } else {
                LoggerFactory.getLogger(Main.class).error("ops-mcp failed", e);
            }
            commandLine.getErr().println("ops-mcp: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * {@code ops-mcp} with {@code serve} alone, for a command line that starts with {@code serve}: the same name,
     * standard options and {@link ServeCommand}, so {@code ops-mcp serve ...} parses, fails and prints its help as it
     * does under {@link OpsMcpCommand}.
     */
    @Command(
            name = "ops-mcp",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            subcommands = ServeCommand.class)
    static final class ServeOnly {}

    /**
     * Prints the runtime's configuration warnings on stderr ({@code ops-mcp: warning: ...}), whatever the log
     * settings: stdout may be the protocol stream, and a log file is not where an operator starting the server
     * looks.
     */
    static void printWarnings(io.opsmcp.server.OpsMcpRuntime runtime) {
        runtime.warnings().forEach(w -> System.err.println("ops-mcp: warning: " + w));
    }

    /** Applies the configured log level, log file and log format (before anything logs). */
    public static void applyLogging(OpsMcpConfig config) {
        io.opsmcp.server.LogSetup.apply(
                config.server().logLevel(),
                config.server().logFile(),
                io.opsmcp.server.LogSetup.Format.of(config.server().logFormat()));
    }
}
