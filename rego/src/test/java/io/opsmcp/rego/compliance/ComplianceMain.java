package io.opsmcp.rego.compliance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command line: {@code java -cp ... io.opsmcp.rego.compliance.ComplianceMain DIR} runs every
 * {@code *.yaml} case file under DIR, prints each failing case (note, expected, got) and each
 * skipped one (with the reason) and ends with one line {@code N passed, N failed, N skipped}.
 * Exit code 0 when nothing failed, else 1. {@code --general-path} turns the evaluator's fast path off.
 */
public final class ComplianceMain {
    private ComplianceMain() {}

    public static void main(String[] args) throws IOException {
        boolean general = args.length == 2 && args[0].equals("--general-path");
        if (args.length != 1 && !general) {
            System.err.println("usage: ComplianceMain [--general-path] DIR");
            System.exit(2);
        }
        Summary s = runDirectory(Path.of(args[args.length - 1]), System.out, general);
        System.exit(s.failed() == 0 ? 0 : 1);
    }

    /** Totals of a run, its failures, and every outcome in run order. */
    public record Summary(int passed, int failed, int skipped, List<CaseOutcome> failures, List<CaseOutcome> outcomes) {
        public String line() {
            return passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
    }

    /** Runs all case files under a directory with the fast path on, printing failures and the summary line to out. */
    public static Summary runDirectory(Path dir, PrintStream out) throws IOException {
        return runDirectory(dir, out, false);
    }

    /**
     * Runs all case files under a directory, printing failures, skips and the summary line to out.
     * @param generalPathOnly evaluate without the evaluator's fast path
     */
    public static Summary runDirectory(Path dir, PrintStream out, boolean generalPathOnly) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        ComplianceRunner runner = new ComplianceRunner(5000, generalPathOnly);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        List<CaseOutcome> failures = new ArrayList<>();
        List<CaseOutcome> outcomes = new ArrayList<>();
        for (Path f : files) {
            List<ComplianceCase> cases;
            try {
                cases = ComplianceRunner.parse(
                        dir.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                failed++;
                out.println("FAIL " + f + ": cannot read case file: " + e.getMessage());
                continue;
            }
            for (ComplianceCase c : cases) {
                CaseOutcome o = runner.run(c);
                outcomes.add(o);
                switch (o.status()) {
                    case PASS -> passed++;
                    case SKIP -> {
                        skipped++;
                        out.println("SKIP " + c.file() + " :: " + c.note() + ": " + o.got());
                    }
                    default -> {
                        failed++;
                        failures.add(o);
                        out.println("FAIL " + c.file() + " :: " + c.note());
                        out.println("  expected: " + o.expected());
                        out.println("  got:      " + o.got());
                    }
                }
            }
        }
        Summary s = new Summary(passed, failed, skipped, failures, outcomes);
        out.println(s.line());
        return s;
    }
}
