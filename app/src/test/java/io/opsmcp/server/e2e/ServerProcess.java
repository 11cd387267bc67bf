package io.opsmcp.server.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ops-mcp serve --transport http --port 0} in its own process on loopback (from the fat jar, or any command
 * line given to {@link #start}); the bound port is read from the server's "listening on" line on stderr. Closing
 * stops the process (and waits for it).
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the HTTP server with {@code extraArgs} (e.g. {@code --sandbox}, {@code --toolsets conformance}).
     *
     * @throws IllegalStateException when it exits or does not report its port within 90 s (stderr included)
     */
    static ServerProcess startHttp(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        return startHttp(List.of("-jar", E2e.jar().toString()), dataDir, extraArgs);
    }

    /**
     * As {@link #startHttp(Path, String...)}, with {@code loaderPath} (jars or class directories, e.g. the
     * conformance fixtures, which the jar does not ship) added to the fat jar's class path through Spring Boot's
     * {@code PropertiesLauncher} ({@code -Dloader.path}).
     */
    static ServerProcess startHttpWith(Path loaderPath, Path dataDir, String... extraArgs)
            throws IOException, InterruptedException {
        return startHttp(
                List.of(
                        "-Dloader.path=" + loaderPath,
                        "-cp",
                        E2e.jar().toString(),
                        "org.springframework.boot.loader.launch.PropertiesLauncher"),
                dataDir,
                extraArgs);
    }

    private static ServerProcess startHttp(List<String> launch, Path dataDir, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(E2e.java()));
        command.addAll(launch);
        command.addAll(List.of(
                "serve",
                "--transport",
                "http",
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString()));
        command.addAll(List.of(extraArgs));
        return start(command, STARTUP);
    }

    /**
     * Starts {@code command} (an {@code ops-mcp serve --transport http --port 0 …} command line) and waits up to
     * {@code startup} for its port.
     *
     * @throws IllegalStateException when it exits or does not report its port in time (stderr included)
     */
    public static ServerProcess start(List<String> command, Duration startup) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            if (log.length()
                                    < 20_000) { // enough to explain a failed start; a chatty server stays bounded
                                log.append(line).append('\n');
                            }
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) {
                                port.complete(Integer.parseInt(m.group(1)));
                            }
                        }
                    } catch (IOException e) {
                        port.completeExceptionally(e);
                    }
                    port.completeExceptionally(new IllegalStateException("server exited before listening"));
                },
                "ops-mcp-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, port.get(startup.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            throw new IllegalStateException("ops-mcp did not start: " + e.getMessage() + "\n--- stderr ---\n" + log, e);
        }
    }

    /** The bound loopback port. */
    public int port() {
        return port;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }
}
