package io.opsmcp.rego.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's fast path ({@code direct*} in Evaluator) must decide exactly as the general
 * path: runs the whole OPA compliance suite with the fast path on and off and requires the same
 * outcome (status, and what was got for a failure) for every case. Skipped when the shared cases
 * are absent.
 */
class FastPathDifferentialTest {

    @Test
    void fastPathAndGeneralPathGiveIdenticalOutcomes() throws Exception {
        Path dir = SharedCases.dirOrSkip();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ComplianceMain.Summary fast = ComplianceMain.runDirectory(dir, quiet, false);
        ComplianceMain.Summary general = ComplianceMain.runDirectory(dir, quiet, true);
        assertThat(general.outcomes()).hasSameSizeAs(fast.outcomes());
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < fast.outcomes().size(); i++) {
            CaseOutcome a = fast.outcomes().get(i);
            CaseOutcome b = general.outcomes().get(i);
            if (a.status() != b.status() || !a.got().equals(b.got())) {
                diffs.add(a.c().file() + " :: " + a.c().note() + "\n  fast:    " + a.status() + " " + a.got()
                        + "\n  general: " + b.status() + " " + b.got());
            }
        }
        assertThat(diffs)
                .as("cases where the fast path and the general path differ")
                .isEmpty();
        assertThat(fast.line()).isEqualTo(general.line());
    }
}
