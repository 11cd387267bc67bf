package io.opsmcp.rego.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs OPA's own compliance cases (test resources) and requires at least 97% to pass. */
class OpaComplianceTest {

  @Test
  void passesAtLeast97PercentOfOpaCases() throws Exception {
    URL dir = getClass().getClassLoader().getResource("opa-compliance/cases");
    assertThat(dir).isNotNull();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ComplianceMain.Summary s = ComplianceMain.runDirectory(Path.of(dir.toURI()),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    int total = s.passed() + s.failed();
    String failures = s.failures().stream()
        .map(f -> f.c().file() + " :: " + f.c().note() + "\n  expected: " + f.expected() + "\n  got: " + f.got())
        .collect(Collectors.joining("\n"));
    assertThat(total).isGreaterThanOrEqualTo(585);
    assertThat(s.passed() * 100.0 / total)
        .as("%s\n%s", s.line(), failures)
        .isGreaterThanOrEqualTo(97.0);
  }
}
