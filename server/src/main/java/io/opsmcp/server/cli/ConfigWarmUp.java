package io.opsmcp.server.cli;

import io.opsmcp.toolkit.config.ConfigBinding;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and binds a small built-in YAML document on a background thread while the main thread parses the command
 * line of {@code serve}: the first YAML mapper, snakeyaml-engine, {@link ConfigBinding}'s shared mapper and
 * Jackson's record binding are then loaded and initialized (class loading, static set-up such as the default date
 * format's calendar and locale data) when the main thread reads the configuration, which a stdio client waits for.
 * Only Jackson and snakeyaml-engine run here (no logger: SLF4J is set up later by the main thread, and a logger asked
 * for while it is set up would get a substitute). Nothing waits for it and its result is dropped: the configuration
 * is read and checked by the main thread as before, with the same errors.
 */
final class ConfigWarmUp {

    /** The shape of what a configuration holds (strings, numbers, flags, lists, nested mappings), snake_case. */
    static final String SAMPLE = """
            server:
              transport: stdio
              log_level: info
              port: 8080
              read_only: true
              toolsets: [hosts, runbooks]
              limits: {max_calls: 10}
            """;

    /** A settings section as {@link ConfigBinding} binds one. */
    record Sample(
            String transport,
            String logLevel,
            Integer port,
            Boolean readOnly,
            List<String> toolsets,
            JsonNode limits) {}

    private ConfigWarmUp() {}

    /**
     * Whether a {@code serve} command line names the HTTP transport ({@code --transport http}, {@code -t http},
     * {@code --transport=http}, {@code -thttp}): the warm-up is for a stdio client waiting for {@code initialize};
     * an HTTP server starts whole before it listens and gains nothing from it but a few MB of garbage. Only decides
     * whether to warm up; the command line is parsed by picocli as always.
     */
    static boolean namesHttp(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--transport=http") || a.equals("-t=http") || a.equals("-thttp")) {
                return true;
            }
            if ((a.equals("--transport") || a.equals("-t")) && i + 1 < args.length && args[i + 1].equals("http")) {
                return true;
            }
        }
        return false;
    }

    /** Starts the warm-up thread (a daemon: it never holds the process up). */
    static void start() {
        Thread thread = new Thread(
                () -> {
                    try {
                        run();
                    } catch (RuntimeException e) {
                        // a warm-up only (a test keeps the sample bindable); the real reading reports its own errors
                    }
                },
                "ops-mcp-config-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads {@link #SAMPLE} and binds its section; returns the bound sample. */
    static Sample run() {
        JsonNode tree = YAMLMapper.builder().build().readTree(SAMPLE);
        return ConfigBinding.bind(tree.get("server"), "server", Sample.class);
    }
}
