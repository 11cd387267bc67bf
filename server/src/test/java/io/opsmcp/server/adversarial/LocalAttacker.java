package io.opsmcp.server.adversarial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs things the way a local user would: the real CLI ({@code io.opsmcp.server.cli.Main}) in its own JVM, and
 * commands as another OS user ({@code runuser -u nobody}, only when the tests run as root).
 */
final class LocalAttacker {

    /** Output of a finished process. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private LocalAttacker() {}

    static boolean root() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser"));
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code ops-mcp ARGS} in a new JVM as the current OS user, with exactly {@code env} added to a clean PATH/HOME. */
    static Result cli(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(java(), "-cp", System.getProperty("java.class.path"), "io.opsmcp.server.cli.Main"));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** {@code COMMAND} as OS user nobody. */
    static Result asNobody(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
        full.addAll(List.of(command));
        return run(full, Map.of());
    }

    /**
     * As nobody, connects to the Unix socket {@code socket} and sends the request of {@code ops-mcp ARGS} (default
     * {@code approvals list}) as the CLI would; prints {@code CONNECTED} and what came back. A small Java program
     * run from a world-readable directory (the CLI's classpath is not readable by nobody).
     */
    static Result connectAsNobody(Path socket, Path scratch, String... args) throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("nobody-connect"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = dir.resolve("Connect.java");
        Files.writeString(source, """
                import java.io.*;
                import java.net.*;
                import java.nio.channels.*;
                public class Connect {
                  public static void main(String[] a) throws Exception {
                    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {
                      DataOutputStream o = new DataOutputStream(Channels.newOutputStream(c));
                      o.writeInt(a.length - 1);
                      for (int i = 1; i < a.length; i++) o.writeUTF(a[i]);
                      o.flush();
                      System.out.println("CONNECTED " + new String(Channels.newInputStream(c).readAllBytes()));
                    }
                  }
                }
                """);
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>(List.of(java(), source.toString(), socket.toString()));
        command.addAll(args.length == 0 ? List.of("approvals", "list") : List.of(args));
        return asNobody(command.toArray(String[]::new));
    }

    static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        Map<String, String> keep = new HashMap<>();
        for (String k : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
            if (e.containsKey(k)) {
                keep.put(k, e.get(k));
            }
        }
        e.clear();
        e.putAll(keep);
        e.putAll(env);
        Path out = Files.createTempFile("attacker-out", ".txt");
        Path err = Files.createTempFile("attacker-err", ".txt");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** TCP ports this JVM listens on: its socket inodes matched against {@code /proc/net/tcp{,6}} in LISTEN. */
    static Set<Integer> listeningTcpPorts() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Matcher m = Pattern.compile("socket:\\[(\\d+)]")
                            .matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(m.group(1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            // one read: the table changes between two reads on a busy machine (other processes open sockets)
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
