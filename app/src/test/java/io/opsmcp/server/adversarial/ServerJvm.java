package io.opsmcp.server.adversarial;

import io.opsmcp.server.e2e.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ops-mcp serve --transport http} in its own JVM (the test classpath, {@code io.opsmcp.server.cli.Main}) on
 * a random 127.0.0.1 port, so the server's own memory can be read from {@code /proc/PID/status}. Closing stops it.
 */
final class ServerJvm implements AutoCloseable {

    private final ServerProcess process;

    private ServerJvm(ServerProcess process) {
        this.process = process;
    }

    /** Starts the server with {@code yaml} as configuration and data under {@code dir}; waits up to 120 s. */
    static ServerJvm start(Path dir, String yaml, String... jvmOptions) throws Exception {
        Path config = dir.resolve("ops-mcp.yaml");
        Files.writeString(config, yaml);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.opsmcp.server.cli.Main",
                "serve",
                "--transport",
                "http",
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--log-level",
                "warn"));
        return new ServerJvm(ServerProcess.start(command, Duration.ofSeconds(120)));
    }

    int port() {
        return process.port();
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
        process.close();
    }
}
