package io.opsmcp.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the e2e/ harness scripts under node: {@code mcp-client.mjs} (the official MCP TypeScript SDK client)
 * and {@code conformance.mjs} (the official conformance suite). Each run has a deadline; a run that misses
 * it is killed and reported.
 */
final class NodeHarness {

    /** What a script printed and how it ended. */
    record Run(int exitCode, String stdout, String stderr) {
        /** The last stdout line (the scripts end with their summary). */
        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path workDir;

    /** @param workDir where each run's stdout and stderr are kept (a test's temporary directory) */
    NodeHarness(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Connects {@code mcp-client.mjs} with {@code transportArgs} (e.g. {@code --http URL}, or {@code --stdio}
     * followed by a command), lists tools and makes {@code calls} (a JSON array of {name, arguments}).
     *
     * @return the client's JSON report (see the script's header)
     */
    JsonNode client(String callsJson, List<String> transportArgs) throws IOException, InterruptedException {
        return client(callsJson, List.of(), transportArgs);
    }

    /** As {@link #client(String, List)} with more options of the script (e.g. {@code --linger MS}). */
    JsonNode client(String callsJson, List<String> options, List<String> transportArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--timeout", "60000", "--calls", callsJson));
        args.addAll(options);
        args.addAll(transportArgs);
        Run run = run("mcp-client.mjs", args, Duration.ofMinutes(3));
        if (run.exitCode() != 0) {
            throw new AssertionError("mcp-client.mjs exited " + run.exitCode() + "\n--- stdout ---\n" + run.stdout()
                    + "\n--- stderr ---\n" + tail(run.stderr()));
        }
        return JSON.readTree(run.lastLine());
    }

    /** Runs the conformance suite's active scenarios against a streamable HTTP endpoint. */
    Run conformance(String url) throws IOException, InterruptedException {
        return conformance(url, "active");
    }

    /** Runs one suite of the conformance suite ({@code active}, {@code pending} or {@code all}) against {@code url}. */
    Run conformance(String url, String suite) throws IOException, InterruptedException {
        return run(
                "conformance.mjs",
                List.of(
                        "--url",
                        url,
                        "--suite",
                        suite,
                        "--out",
                        workDir.resolve("conformance-results").toString()),
                Duration.ofMinutes(15));
    }

    /** The command line that starts the fat jar with {@code args} (for {@code --stdio}). */
    static List<String> serverCommand(String... args) {
        List<String> command =
                new ArrayList<>(List.of(E2e.java(), "-jar", E2e.jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Run run(String script, List<String> args, Duration deadline) throws IOException, InterruptedException {
        Path dir = E2e.e2eDir();
        List<String> command =
                new ArrayList<>(List.of(E2e.node(), dir.resolve(script).toString()));
        command.addAll(args);
        Path out = Files.createTempFile(workDir, script, ".out");
        Path err = Files.createTempFile(workDir, script, ".err");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(script + " did not finish within " + deadline + "\n--- stderr ---\n"
                        + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static String tail(String text) {
        return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
    }
}
