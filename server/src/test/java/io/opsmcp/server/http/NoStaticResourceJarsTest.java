package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file a jar of the class path ships under {@code META-INF/resources} is no resource of the web application: Spring
 * Boot's scan for such jars (which opens every jar of the class path at start) is not run, and nothing of theirs is
 * reachable through the servlet context or served.
 */
class NoStaticResourceJarsTest {

    @TempDir
    Path dir;

    @Test
    void jarsMetaInfResourcesAreNotPartOfTheWebApplication() throws Exception {
        Path jar = dir.resolve("probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("META-INF/", "META-INF/resources/", "META-INF/resources/probe.txt")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write("static-file-from-a-jar".getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Files.writeString(dir.resolve("ops-mcp.yaml"), "{}\n");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        dir.resolve("ops-mcp.yaml"),
                        new ConfigLoader.Overrides("http", null, 0, List.of(), false, "warn", dir.resolve("data")));
        // Spring Boot's scan reads the JVM's class path (the test's loader is no URLClassLoader): the probe jar is on
        // it while the server starts.
        String classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", classPath + File.pathSeparator + jar);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
                HttpTransport http = HttpTransport.start(runtime)) {
            System.setProperty("java.class.path", classPath);
            assertThat(http.servletContext().getResource("/probe.txt")).isNull();
            HttpResponse<String> get = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/probe.txt"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(404);
            assertThat(get.body()).doesNotContain("static-file-from-a-jar");
        } finally {
            System.setProperty("java.class.path", classPath);
        }
    }
}
