package io.opsmcp.server.adversarial;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ops-mcp serve --transport http} in its own JVM (the test classpath, {@code io.opsmcp.server.cli.Main}) on
 * a random 127.0.0.1 port, so the server's own memory can be read from {@code /proc/PID/status}. Closing stops it.
 */
final class ServerJvm implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private ServerJvm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server with {@code yaml} as configuration and data under {@code dir}; waits up to 120 s. */
    static ServerJvm start(Path dir, String yaml, String... jvmOptions) throws Exception {
        Path config = dir.resolve("ops-mcp.yaml");
        Files.writeString(config, yaml);
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.opsmcp.server.cli.Main", "serve",
                "--transport", "http", "--bind", "127.0.0.1", "--port", "0", "--config", config.toString(),
                "--data-dir", dir.resolve("data").toString(), "--log-level", "warn"));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (log.length() < 20_000) {
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
        }, "server-jvm-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerJvm(process, port.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not start: " + e + "\n" + log, e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** A {@code kB} field of {@code /proc/PID/status}, e.g. {@code VmHWM} (peak resident set), in bytes. */
    long procStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid() + "/status");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
