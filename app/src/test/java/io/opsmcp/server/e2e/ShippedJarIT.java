package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ops-mcp.jar} must not ship: the conformance suite's fixtures (their {@code test_*} tools exist to
 * exercise the protocol, not to be offered), so the jar alone refuses {@code --toolsets conformance}.
 */
class ShippedJarIT {

    @TempDir
    Path tmp;

    @Test
    void theJarHasNoConformanceFixtures() throws Exception {
        try (JarFile jar = new JarFile(E2e.jar().toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .noneMatch(
                            name -> name.contains("io/opsmcp/conformance/") || name.contains("conformance-fixtures"));
        }
        Process process = new ProcessBuilder(NodeHarness.serverCommand(
                        "tools",
                        "--toolsets",
                        "conformance",
                        "--data-dir",
                        tmp.resolve("data").toString()))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("unknown toolset 'conformance'");
    }

    /**
     * picocli's jar is the first of the class path (app/pom.xml), so that under the fast start its lookups open one
     * jar instead of the ~95 Maven's order put before it. Moving a jar changes which copy of a name a lookup finds
     * (the first wins) only for a name another jar also holds: picocli's jar holds none but its manifest (which the
     * application's own jar, always first, shadows) and a {@code module-info.class} (ignored on the class path).
     */
    @Test
    void picocliIsFirstOnTheClassPathAndHoldsNoNameAnotherJarHolds() throws Exception {
        try (JarFile jar = new JarFile(E2e.jar().toFile())) {
            List<String> classPath = new ArrayList<>();
            try (BufferedReader index = new BufferedReader(new InputStreamReader(
                    jar.getInputStream(jar.getEntry("BOOT-INF/classpath.idx")), StandardCharsets.UTF_8))) {
                for (String line; (line = index.readLine()) != null; ) {
                    if (line.startsWith("- ")) {
                        classPath.add(line.substring(2).replace("\"", ""));
                    }
                }
            }
            assertThat(classPath).hasSizeGreaterThan(100);
            assertThat(classPath.get(0)).matches("BOOT-INF/lib/picocli-[0-9.]+\\.jar");
            Set<String> picocli = names(jar, classPath.get(0));
            picocli.removeIf(name -> name.equals("META-INF/MANIFEST.MF") || name.endsWith("module-info.class"));
            assertThat(picocli).contains("picocli/CommandLine.class");
            for (String other : classPath.subList(1, classPath.size())) {
                Set<String> shared = names(jar, other);
                shared.retainAll(picocli);
                assertThat(shared)
                        .as("names of picocli's jar also in %s", other)
                        .isEmpty();
            }
        }
    }

    /** The file names (no directories) of the nested jar {@code path} of {@code jar}. */
    private static Set<String> names(JarFile jar, String path) throws Exception {
        Set<String> names = new HashSet<>();
        try (JarInputStream nested = new JarInputStream(jar.getInputStream(jar.getEntry(path)))) {
            for (JarEntry entry; (entry = nested.getNextJarEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    names.add(entry.getName());
                }
            }
        }
        return names;
    }
}
