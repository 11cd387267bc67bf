package io.opsmcp.rego.testing;

import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import java.nio.file.Path;

/**
 * Command line: {@code java -cp ... io.opsmcp.rego.testing.TestMain DIR} loads DIR as a bundle,
 * runs its tests, prints one line per test and a summary; exit code 0 when all pass, else 2.
 */
public final class TestMain {
    private TestMain() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TestMain DIR");
            System.exit(1);
        }
        Bundle b = BundleLoader.fromDirectory(Path.of(args[0]));
        TestRunner.Report r = TestRunner.run(b.modules(), b.data());
        System.out.print(r.render());
        System.exit(r.exitCode());
    }
}
