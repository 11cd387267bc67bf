package io.opsmcp.rego.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.value.ObjectValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestRunnerTest {

    @Test
    void reportsPassAndFailPerTestWithExitCode() {
        Bundle b = BundleLoader.fromClasspath("testbundle", getClass().getClassLoader());
        TestRunner.Report r = TestRunner.run(b.modules(), b.data());
        assertThat(r.results())
                .extracting(TestRunner.TestResult::name)
                .containsExactlyInAnyOrder(
                        "data.authz.test_admin_allowed",
                        "data.authz.test_reader_can_read",
                        "data.authz.test_reader_cannot_delete",
                        "data.authz.test_wrong_expectation",
                        "data.authz.test_mocked_roles");
        assertThat(r.passed()).isEqualTo(4);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.render())
                .contains("data.authz.test_wrong_expectation: FAIL")
                .contains("PASS: 4/5")
                .contains("FAIL: 1/5");
    }

    @Test
    void allPassingGivesExitCodeZero() {
        TestRunner.Report r = TestRunner.run(
                Map.of(
                        "p.rego", "package p\nx := 2\n",
                        "p_test.rego", "package p\ntest_x if x == 2\ntest_y if x + 1 == 3\n"),
                ObjectValue.EMPTY);
        assertThat(r.passed()).isEqualTo(2);
        assertThat(r.exitCode()).isZero();
    }
}
