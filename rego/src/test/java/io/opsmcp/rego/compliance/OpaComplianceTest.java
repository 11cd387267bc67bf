package io.opsmcp.rego.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs every case of OPA's compliance suite in {@code ../shared/opa-compliance/cases} and requires
 * at least 99 % of the cases that do not need a built-in refused by design to pass (those are
 * skipped, with the reason). Skipped when the shared cases are absent.
 */
class OpaComplianceTest {

    @Test
    void passesAtLeast99PercentOfOpaCases() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ComplianceMain.Summary s = ComplianceMain.runDirectory(
                SharedCases.dirOrSkip(), new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.out.println("OPA compliance: " + s.line());
        int scored = s.passed() + s.failed();
        String failures = s.failures().stream()
                .map(f ->
                        f.c().file() + " :: " + f.c().note() + "\n  expected: " + f.expected() + "\n  got: " + f.got())
                .collect(Collectors.joining("\n"));
        assertThat(scored).as("cases run").isPositive();
        assertThat(s.outcomes().stream().filter(o -> o.status() == CaseOutcome.Status.SKIP))
                .as("only cases needing a refused built-in are skipped")
                .allSatisfy(o -> assertThat(o.got()).endsWith("refused by design"));
        assertThat(s.passed() * 100.0 / scored).as("%s\n%s", s.line(), failures).isGreaterThanOrEqualTo(99.0);
    }
}
