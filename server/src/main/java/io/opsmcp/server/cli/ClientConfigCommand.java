package io.opsmcp.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ops-mcp client-config CLIENT}: prints the configuration snippet that starts this installation from an MCP
 * client, with this installation's absolute paths: the java launcher of the running JVM ({@code java.home}), the
 * jar this process runs from, and the configuration file when one is given and exists. Where to put it goes to
 * stderr, so stdout is the snippet alone (JSON for every client except Claude Code's command line).
 */
@Command(
        name = "client-config",
        mixinStandardHelpOptions = true,
        description = "Print an MCP client configuration snippet that starts this ops-mcp installation (stdio) or"
                + " connects to a running HTTP server (--http). Clients: claude-desktop, claude-code, vscode, cursor.")
public final class ClientConfigCommand implements Callable<Integer> {

    /** The MCP clients a snippet can be printed for. */
    public enum Client {
        CLAUDE_DESKTOP("claude-desktop"),
        CLAUDE_CODE("claude-code"),
        VSCODE("vscode"),
        CURSOR("cursor");

        private final String id;

        Client(String id) {
            this.id = id;
        }

        /** The name on the command line. */
        public String id() {
            return id;
        }

        static Client parse(String value) {
            for (Client c : values()) {
                if (c.id.equals(value.toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a supported client; use one of "
                    + java.util.Arrays.stream(values()).map(Client::id).collect(Collectors.joining(", ")));
        }
    }

    /**
     * Where this installation is.
     *
     * @param java the java launcher (absolute)
     * @param jar  the executable ops-mcp jar (absolute)
     */
    public record Installation(Path java, Path jar) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SERVER_NAME = "ops-mcp";

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "CLIENT",
            converter = ClientConverter.class,
            description = "claude-desktop, claude-code, vscode or cursor.")
    Client client;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file the server is started with (its absolute path goes into the snippet).")
    Path config;

    @Option(
            names = "--http",
            paramLabel = "URL",
            description =
                    "Connect to a running `ops-mcp serve --transport http` instead, e.g. http://127.0.0.1:8080/mcp.")
    String http;

    @Option(
            names = "--json",
            description = "claude-code: print the .mcp.json entry instead of the `claude mcp add` command line.")
    boolean json;

    static final class ClientConverter implements CommandLine.ITypeConverter<Client> {
        @Override
        public Client convert(String value) {
            return Client.parse(value);
        }
    }

    @Override
    public Integer call() {
        URI url = null;
        if (http != null) {
            url = httpUrl(http);
            if (url == null) {
                return usage("--http: '" + http + "' is not an http(s) URL, e.g. http://127.0.0.1:8080/mcp");
            }
            if (client == Client.CLAUDE_DESKTOP) {
                return usage("claude-desktop: its configuration file starts local (stdio) servers only; add " + url
                        + " under Settings > Connectors instead, or leave out --http for the stdio snippet");
            }
        }
        Path configFile = null;
        if (config != null) {
            if (Files.isRegularFile(config)) {
                configFile = config.toAbsolutePath().normalize();
            } else {
                spec.commandLine()
                        .getErr()
                        .println("ops-mcp: warning: config file " + config
                                + " does not exist; the snippet starts the server without --config");
            }
        }
        Installation installation = null;
        if (url == null) {
            Optional<Installation> detected = detect();
            if (detected.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("ops-mcp: cannot tell which ops-mcp jar this runs from (started from class"
                                + " directories, not from ops-mcp.jar); run `java -jar ops-mcp.jar client-config ...`");
                return 1;
            }
            installation = detected.get();
        }
        spec.commandLine().getOut().println(snippet(client, installation, configFile, url, json));
        spec.commandLine().getErr().println(where(client, json));
        return 0;
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("ops-mcp client-config: " + message);
        return 2;
    }

    /** The URL when it is an absolute http(s) URL with a host, else {@code null}. */
    static URI httpUrl(String value) {
        try {
            URI uri = new URI(value);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return web && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The JVM flags of a stdio server a client starts (one per session, one user): Serial GC (no GC threads, the
     * least native memory), C1 only (a start compiles less; calls wait on SSH and APIs, not on the CPU), 512 KiB
     * thread stacks, a 16 MiB initial heap that grows to at most 256 MiB (without {@code -Xms} the JVM commits
     * 1/64 of the machine's memory up to {@code -Xmx} at once, and the young generation it touches stays resident:
     * ~60 MiB of idle RSS). Measured in server/BENCHMARKS.md; scripts/startup-cache.sh uses the same
     * ({@code JVM_OPTS}).
     */
    public static final List<String> JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms16m", "-Xmx256m");

    /**
     * The snippet for {@code client}: with {@code url}, a connection to that streamable HTTP endpoint; otherwise the
     * stdio command of {@code installation} with {@code config} (may be {@code null}).
     */
    static String snippet(Client client, Installation installation, Path config, URI url, boolean json) {
        List<String> args = new ArrayList<>();
        if (url == null) {
            args.addAll(JVM_OPTIONS);
            args.addAll(List.of("-jar", installation.jar().toString(), "serve", "--transport", "stdio"));
            if (config != null) {
                args.addAll(List.of("--config", config.toString()));
            }
        }
        String java = installation == null ? null : installation.java().toString();
        ObjectNode server = JsonNodeFactory.instance.objectNode();
        switch (client) {
            case CLAUDE_DESKTOP, CURSOR -> {
                if (url == null) {
                    stdio(server, java, args);
                } else {
                    server.put("url", url.toString());
                }
                return pretty(wrap("mcpServers", server));
            }
            case VSCODE -> {
                if (url == null) {
                    server.put("type", "stdio");
                    stdio(server, java, args);
                } else {
                    server.put("type", "http");
                    server.put("url", url.toString());
                }
                return pretty(wrap("servers", server));
            }
            case CLAUDE_CODE -> {
                if (json) {
                    if (url == null) {
                        server.put("type", "stdio");
                        stdio(server, java, args);
                    } else {
                        server.put("type", "http");
                        server.put("url", url.toString());
                    }
                    return pretty(wrap("mcpServers", server));
                }
                List<String> command = new ArrayList<>(List.of("claude", "mcp", "add"));
                if (url == null) {
                    command.addAll(List.of("--transport", "stdio", SERVER_NAME, "--", java));
                    command.addAll(args);
                } else {
                    command.addAll(List.of("--transport", "http", SERVER_NAME, url.toString()));
                }
                return command.stream().map(ClientConfigCommand::shellQuote).collect(Collectors.joining(" "));
            }
        }
        throw new IllegalStateException(client.toString());
    }

    private static void stdio(ObjectNode server, String java, List<String> args) {
        server.put("command", java);
        ArrayNode array = server.putArray("args");
        args.forEach(array::add);
    }

    private static ObjectNode wrap(String key, ObjectNode server) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject(key).set(SERVER_NAME, server);
        return root;
    }

    private static String pretty(ObjectNode node) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    private static final Pattern SHELL_SAFE = Pattern.compile("^[A-Za-z0-9_@%+=:,./-]+$");

    /** POSIX shell quoting: as is when safe, else in single quotes. */
    static String shellQuote(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String where(Client client, boolean json) {
        return switch (client) {
            case CLAUDE_DESKTOP ->
                "Merge the mcpServers entry into claude_desktop_config.json (macOS: ~/Library/"
                        + "Application Support/Claude/, Windows: %APPDATA%\\Claude\\, Linux: ~/.config/Claude/) and"
                        + " restart Claude Desktop.";
            case CLAUDE_CODE ->
                json
                        ? "Merge into .mcp.json at the root of the project (shared with the team) and restart Claude Code."
                        : "Run the command (add --scope user to make it available in every project).";
            case VSCODE ->
                "Merge into .vscode/mcp.json of the workspace, or into the user mcp.json (command"
                        + " 'MCP: Open User Configuration').";
            case CURSOR -> "Merge into ~/.cursor/mcp.json (every project) or .cursor/mcp.json (this project).";
        };
    }

    /** This installation: the running JVM's launcher and the jar this process was started from, if any. */
    static Optional<Installation> detect() {
        Path java = Path.of(
                System.getProperty("java.home"),
                "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
        return runningJar().map(jar -> new Installation(java, jar));
    }

    /**
     * The executable jar this process runs from: the code source of this class (inside the Spring Boot fat jar a
     * {@code jar:nested:/…/ops-mcp.jar/!BOOT-INF/lib/…} URL, whose outer jar is meant), else the class path when it
     * is one jar ({@code java -jar} of an extracted layout). Only a jar whose {@code Main-Class} or {@code Start-Class}
     * is ops-mcp's counts.
     */
    static Optional<Path> runningJar() {
        List<Path> candidates = new ArrayList<>();
        CodeSource source = ClientConfigCommand.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            outerJar(source.getLocation().toString()).ifPresent(candidates::add);
        }
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty() && !classPath.contains(java.io.File.pathSeparator)) {
            candidates.add(Path.of(classPath));
        }
        return candidates.stream()
                .map(p -> p.toAbsolutePath().normalize())
                .filter(ClientConfigCommand::executableJar)
                .findFirst();
    }

    private static boolean ours(String mainClass) {
        return mainClass != null && mainClass.startsWith("io.opsmcp.");
    }

    /** The outermost jar file a code-source URL points into, or empty when it is no jar file. */
    static Optional<Path> outerJar(String location) {
        String s = location;
        for (String prefix : List.of("jar:", "nested:", "file:")) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
            }
        }
        int bang = s.indexOf('!');
        if (bang >= 0) {
            s = s.substring(0, bang);
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.endsWith(".jar")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }

    private static boolean executableJar(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            if (jar.getManifest() == null) {
                return false;
            }
            // ops-mcp's own entry point: directly (an extracted layout) or behind Spring Boot's launcher (the fat jar);
            // not a test runner's or another tool's jar that happens to be the class path
            var main = jar.getManifest().getMainAttributes();
            return ours(main.getValue("Main-Class")) || ours(main.getValue("Start-Class"));
        } catch (IOException e) {
            return false;
        }
    }
}
