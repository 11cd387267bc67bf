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
 * {@code *.yaml} case file under DIR, prints each failing case (note, expected, got) and ends
 * with one line {@code N passed, N failed, N skipped}. Exit code 0 when nothing failed, else 1.
 */
public final class ComplianceMain {
  private ComplianceMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ComplianceMain DIR");
      System.exit(2);
    }
    Summary s = runDirectory(Path.of(args[0]), System.out);
    System.exit(s.failed() == 0 ? 0 : 1);
  }

  /** Totals of a run. */
  public record Summary(int passed, int failed, int skipped, List<CaseOutcome> failures) {
    public String line() {
      return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
  }

  /** Runs all case files under a directory, printing failures and the summary line to out. */
  public static Summary runDirectory(Path dir, PrintStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    ComplianceRunner runner = new ComplianceRunner(5000);
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    List<CaseOutcome> failures = new ArrayList<>();
    for (Path f : files) {
      List<ComplianceCase> cases;
      try {
        cases = ComplianceRunner.parse(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        failed++;
        out.println("FAIL " + f + ": cannot read case file: " + e.getMessage());
        continue;
      }
      for (ComplianceCase c : cases) {
        CaseOutcome o = runner.run(c);
        switch (o.status()) {
          case PASS -> passed++;
          case SKIP -> skipped++;
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
    Summary s = new Summary(passed, failed, skipped, failures);
    out.println(s.line());
    return s;
  }
}
