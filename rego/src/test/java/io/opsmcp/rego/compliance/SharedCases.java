package io.opsmcp.rego.compliance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where OPA's compliance cases live: {@code ../shared/opa-compliance/cases} next to the project
 * root (the directory holding {@code mvnw}). They come from a public repository and are never
 * copied into this one, so a test that needs them is skipped, saying why, when they are absent. System property
 * {@value #DIR_PROPERTY} names the cases directory instead (a git worktree elsewhere than beside {@code shared}).
 */
final class SharedCases {
    /** Overrides where the cases directory is. */
    static final String DIR_PROPERTY = "opa.compliance.cases";

    private SharedCases() {}

    /** The cases directory; aborts the calling test (JUnit assumption) when it is absent. */
    static Path dirOrSkip() {
        String given = System.getProperty(DIR_PROPERTY);
        if (given != null && !given.isBlank()) {
            Path dir = Path.of(given);
            assumeTrue(Files.isDirectory(dir), "OPA compliance cases not found at " + dir + ": skipped");
            return dir;
        }
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Path dir = root == null
                ? null
                : root.resolve("../shared/opa-compliance/cases").normalize();
        assumeTrue(
                dir != null && Files.isDirectory(dir),
                "OPA compliance cases not found at ../shared/opa-compliance/cases (relative to the project root): skipped");
        return dir;
    }
}
