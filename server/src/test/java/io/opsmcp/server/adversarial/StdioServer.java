package io.opsmcp.server.adversarial;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server ({@code ops-mcp serve --transport stdio}) in a child JVM, from this test's class path. Raw
 * lines go to its stdin; its stdout lines are collected as they come. Closing ends stdin and waits for the
 * process (killing it, by its own handle, if it does not exit).
 */
final class StdioServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final Path stderr;

    StdioServer(Path dir, String... extraArgs) throws IOException {
        this(dir, dir.resolve("data"), extraArgs);
    }

    /**
     * @param dir     where its stderr goes ({@code stderr.log})
     * @param dataDir its data directory (two servers may be given the same one)
     */
    StdioServer(Path dir, Path dataDir, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("serve", "--transport", "stdio", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        stderr = dir.resolve("stderr.log");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            stdout.add(line);
                        }
                    } catch (IOException e) {
                        stdout.add("{\"reader_failed\":\"" + e.getClass().getSimpleName() + "\"}");
                    }
                },
                "stdio-server-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java … ops-mcp} without arguments, from the test class path. */
    static List<String> javaCommand() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.opsmcp.server.cli.Main");
    }

    /** Writes raw bytes followed by a newline. */
    void sendLine(byte[] raw) throws IOException {
        stdin.write(raw);
        stdin.write('\n');
        stdin.flush();
    }

    void sendLine(String line) throws IOException {
        sendLine(line.getBytes(StandardCharsets.UTF_8));
    }

    /** The next stdout line as JSON, or {@code null} when none came within the timeout. */
    JsonNode next(long timeoutSeconds) throws InterruptedException {
        String line = stdout.poll(timeoutSeconds, TimeUnit.SECONDS);
        return line == null ? null : JSON.readTree(line);
    }

    /** Reads stdout until a response with this id arrives (other messages are collected into {@code seen}). */
    JsonNode awaitId(int id, List<JsonNode> seen, long timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < end) {
            JsonNode m = next(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime())));
            if (m == null) {
                break;
            }
            if (m.path("id").isIntegralNumber() && m.path("id").asInt() == id && !m.has("method")) {
                return m;
            }
            seen.add(m);
        }
        return null;
    }

    /** The server's process (to wait for its end and read its status). */
    Process process() {
        return process;
    }

    String stderr() throws IOException {
        return Files.isRegularFile(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }
}
