package io.opsmcp.tools.system.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs one SSH exec request on the local machine the way OpenSSH does: {@code /bin/sh -c COMMAND} as the
 * current user, in the user's home directory, standard input empty. An SSH {@code signal} request or the
 * channel closing ends the process and its descendants.
 */
final class LocalProcessCommand implements Command {

    private final String command;
    private final ExecutorService threads;
    private final Map<String, String> environment;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    /** @param environment set on top of the server's own environment (the simulated accounts' PATH) */
    LocalProcessCommand(String command, ExecutorService threads, Map<String, String> environment) {
        this.command = command;
        this.threads = threads;
        this.environment = environment;
    }

    @Override
    public void setInputStream(InputStream in) {
        // commands get no standard input (redirected from /dev/null)
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command))
                .directory(Path.of(System.getProperty("user.home")).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        env.addSignalListener((ch, signal) -> kill());
        Future<?> stdout = threads.submit(() -> pump(process.getInputStream(), out));
        Future<?> stderr = threads.submit(() -> pump(process.getErrorStream(), err));
        threads.submit(() -> {
            int status;
            try {
                status = process.waitFor();
                stdout.get(10, TimeUnit.SECONDS);
                stderr.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                status = 130;
            } catch (Exception e) {
                status = process.isAlive() ? 1 : process.exitValue();
            }
            // a process ended by a signal reports 128 + signal number, as a shell would
            exit.onExit(status);
        });
    }

    private static Void pump(InputStream from, OutputStream to) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        try (from) {
            while ((n = from.read(buf)) != -1) {
                to.write(buf, 0, n);
                to.flush();
            }
        }
        return null;
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        kill();
    }
}
