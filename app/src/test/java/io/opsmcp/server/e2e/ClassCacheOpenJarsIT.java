package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory a started server keeps for its class path: under {@code java -jar} it runs from the extracted jars
 * ({@code ExtractedClassPath}), and every jar its class loader has opened keeps its central directory in the heap
 * for the process's life (~9 MiB for all ~200). A sandbox start with the default toolsets must open only the jars
 * it loads from, not the whole class path: a {@code ServiceLoader} lookup or a probe for an absent class that walked
 * every jar would open the AWS SDK's, Lucene's and WireMock's too.
 */
class ClassCacheOpenJarsIT {

    @TempDir
    Path tmp;

    @Test
    void aSandboxStartKeepsOnlyTheJarsItLoadsFromOpen() throws Exception {
        assumeThat(Path.of("/proc/self/fd"))
                .as("reads the open files from Linux's /proc")
                .isDirectory();
        Path cache = tmp.resolve("cache");
        Process server = new ProcessBuilder(
                        E2e.java(),
                        "-Dops-mcp.class-cache=" + cache,
                        "-jar",
                        E2e.jar().toString(),
                        "serve",
                        "--sandbox",
                        "--data-dir",
                        tmp.resolve("data").toString(),
                        "--log-level",
                        "warn")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            OutputStream in = server.getOutputStream();
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String answer = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .get(120, TimeUnit.SECONDS);
            assertThat(answer).contains("\"id\":1").contains("\"result\"");

            List<String> open = openJars(server.pid(), cache.resolve("jars"));
            long all;
            try (Stream<Path> jars = Files.list(cache.resolve("jars"))) {
                all = jars.filter(p -> p.toString().endsWith(".jar")).count();
            }
            assertThat(open).as("runs from the extracted class path").anyMatch(n -> n.startsWith("ops-mcp-server-"));
            assertThat(open)
                    .as("jars of toolsets and libraries a hosts-only sandbox start does not load")
                    .noneMatch(n -> Stream.of(
                                    "ec2-",
                                    "iam-",
                                    "cloudformation-",
                                    "wiremock-standalone-",
                                    "lucene-core-",
                                    "graphql-java-",
                                    "bcprov-")
                            .anyMatch(n::startsWith));
            assertThat(open.size()).as("open jars of " + all + ": " + open).isLessThan((int) (all / 2));
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** The file names under {@code jars} that process {@code pid} holds open. */
    private static List<String> openJars(long pid, Path jars) throws Exception {
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (java.io.IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith(jars)) {
                    open.add(target.getFileName().toString());
                }
            }
        }
        return open;
    }
}
