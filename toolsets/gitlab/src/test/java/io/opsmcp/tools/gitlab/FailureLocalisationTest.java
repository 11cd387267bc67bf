package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.gitlab.analysis.Classification;
import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.analysis.JobFacts;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import io.opsmcp.tools.gitlab.trace.LineNormalizer;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: where evidence sits decides, not whether it appears anywhere; prefixes are normalised once. */
class FailureLocalisationTest {

    static final Classifier CLASSIFIER = new Classifier(RuleLibrary.builtIn());

    static Classification classify(String trace, Map<String, String> history) {
        Classifier.Scan scan = CLASSIFIER.scan(new JobFacts(null, history, Map.of("project", "a/b", "job_id", "1")));
        TraceReader.read(
                new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), Instant.MAX, Clock.systemUTC(), scan);
        return scan.result();
    }

    @Test
    void noiseFromEarlierSuccessfulStepsDoesNotBeatTheFailingTest() {
        String trace = RunnerTrace.of(
                "python:3.12",
                List.of(
                        "$ (ulimit -v 200000; python tools/memory_guard_selftest.py) || true",
                        "Killed",
                        "$ apt-get install -y tzdata",
                        "debconf: unable to initialize frontend: Dialog",
                        "debconf: (TERM is not set, so the dialog frontend is not usable.)",
                        "$ lychee --no-progress docs/ || true",
                        "[ERR] https://old.example.org/x | Failed: Network error: dns error: no record found",
                        "$ pytest -q",
                        "FAILED tests/test_cart.py::test_total - assert 41 == 42",
                        "========================= 1 failed, 87 passed in 3.02s ========================="),
                1);
        Classification c = classify(trace, Map.of());
        assertThat(c.category()).isEqualTo("test-failure");
        assertThat(c.alsoMatched()).contains("out-of-memory", "network-transient");
        assertThat(c.evidence().stream()
                        .filter(l -> l.match())
                        .map(l -> l.text())
                        .toList())
                .anyMatch(t -> t.contains("1 failed, 87 passed"));
    }

    @Test
    void onlyEarlierStepMatchesGiveUnknownNotTheNoise() {
        String trace = RunnerTrace.of(
                "python:3.12",
                List.of(
                        "$ (ulimit -v 200000; ./hog) || true",
                        "Killed",
                        "$ ./deploy.sh",
                        "deploying to staging ... rejected by the remote"),
                1);
        Classification c = classify(trace, Map.of());
        assertThat(c.category()).isEqualTo("unknown");
        assertThat(c.alsoMatched()).containsExactly("out-of-memory");
        assertThat(c.nextStep().reason()).contains("only in steps that passed");
    }

    @Test
    void aTestsOwnNetworkLogLinesLoseToTheTestVerdictThatFollows() {
        String trace = RunnerTrace.of(
                "python:3.12",
                List.of(
                        "$ pytest -q",
                        "WARNING  urllib3.connectionpool: Connection reset by peer, retrying",
                        "FAILED tests/test_api.py::test_refund - AssertionError: expected 201",
                        "1 failed, 10 passed in 2.10s"),
                1);
        assertThat(classify(trace, Map.of()).category()).isEqualTo("test-failure");
    }

    @Test
    void theLastIncidentalErrorDecidesWhenNothingFollowsIt() {
        String trace = RunnerTrace.of(
                "python:3.12",
                List.of(
                        "$ apt-get update",
                        "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'",
                        "E: Unable to locate package build-essential"),
                100);
        assertThat(classify(trace, Map.of()).category()).isEqualTo("network-transient");
    }

    @Test
    void matchesInAfterScriptDoNotDecide() {
        String trace = "section_start:1:step_script\r\u001b[0K$ make test\nmake: *** [test] Error 2\n"
                + "section_end:2:step_script\r\u001b[0K\nsection_start:3:after_script\r\u001b[0K$ df -h\n"
                + "tar: write error: No space left on device\nsection_end:4:after_script\r\u001b[0K\n"
                + "ERROR: Job failed: exit code 2\n";
        Classification c = classify(trace, Map.of());
        assertThat(c.category()).isEqualTo("unknown");
        assertThat(c.alsoMatched()).contains("disk-full");
    }

    @Test
    void aGreenPreviousCommitIsNotEvidenceOfFlakiness() {
        String trace = RunnerTrace.of(
                "python:3.12",
                List.of("$ pytest -q", "FAILED tests/test_a.py::test_x - assert 1 == 2", "1 failed, 3 passed in 0.51s"),
                1);
        assertThat(classify(trace, Map.of("passed_on_previous_commit", "passed on abc"))
                        .category())
                .isEqualTo("test-failure");
        assertThat(classify(trace, Map.of("passed_on_retry", "passed on attempt 2 in this pipeline"))
                        .category())
                .isEqualTo("flaky-test");
    }

    @Test
    void aTestThatBothFailedAndPassedInThisJobIsFlaky() {
        String trace = RunnerTrace.of(
                "golang:1.22",
                List.of(
                        "$ go test -count=3 ./...",
                        "--- FAIL: TestCache (0.01s)",
                        "    cache_test.go:40: got 2, want 1",
                        "FAIL",
                        "FAIL\tgithub.com/acme/cache\t0.021s",
                        "ok  \tgithub.com/acme/cache\t0.019s"),
                1);
        Classification c = classify(trace, Map.of());
        assertThat(c.category()).isEqualTo("flaky-test");
        assertThat(c.facts()).anyMatch(f -> f.contains("github.com/acme/cache both failed and passed in this job"));
    }

    @Test
    void timestampAndMarkerPrefixesAreRemovedBeforeAnchoredRules() {
        String ffTimestamps = String.join(
                        "\n",
                        "2026-09-30T19:38:20.000000Z 01O $ pytest",
                        "2026-09-30T19:38:21.000000Z 01O E   ModuleNotFoundError: No module named 'yaml'",
                        "2026-09-30T19:38:21.100000Z 00O+ERROR: Job failed: exit code 2")
                + "\n";
        Classification c = classify(ffTimestamps, Map.of());
        assertThat(c.category()).isEqualTo("missing-python-package");
        assertThat(c.extracted()).containsEntry("package", "yaml");
        String actions = String.join(
                        "\n",
                        "2024-04-14T22:05:23.8605906Z Killed",
                        "2024-04-14T22:05:47.7630307Z ##[error]Process completed with exit code 137.")
                + "\n";
        assertThat(classify(actions, Map.of()).category()).isEqualTo("out-of-memory");
        assertThat(LineNormalizer.normalize(
                        "INTERNALERROR> E             Failed: Timeout (>10.0s) from pytest-timeout."))
                .isEqualTo("Failed: Timeout (>10.0s) from pytest-timeout.");
        assertThat(LineNormalizer.normalize("#14 2.002 npm ERR! code ERESOLVE")).isEqualTo("npm ERR! code ERESOLVE");
        assertThat(LineNormalizer.normalize("[2023-03-07T13:01:06.872Z] [ERROR] x"))
                .isEqualTo("[ERROR] x");
        assertThat(LineNormalizer.normalize("@packages/net-stubbing: Killed")).isEqualTo("Killed");
        assertThat(LineNormalizer.normalize("plain text")).isEqualTo("plain text");
    }

    @Test
    void formatDriftOfCommonTools() {
        assertThat(classify("E             Failed: Timeout (>10.0s) from pytest-timeout.\n", Map.of())
                        .category())
                .isEqualTo("test-timeout");
        assertThat(classify("4 failed, 7087 passed, 26 skipped in 441.80 seconds\n", Map.of())
                        .category())
                .isEqualTo("test-failure");
        assertThat(classify("Tests run: 162, Failures: 0, Errors: 162, Skipped: 0\n", Map.of())
                        .category())
                .isEqualTo("test-failure");
        assertThat(classify(
                                "# example.com/x\nx/c.go:35: undefined reference to 'CRandom'\n"
                                        + "collect2: error: ld returned 1 exit status\n",
                                Map.of())
                        .category())
                .isEqualTo("compilation-error");
        assertThat(classify(
                                "ERROR   -  Config value 'docs_dir': The path 'Docs' isn't an existing directory.\n"
                                        + "Aborted with a configuration error!\n",
                                Map.of())
                        .category())
                .isEqualTo("invalid-config-value");
        assertThat(classify("mapping values are not allowed here\n  in \"ci.yml\", line 4, column 22\n", Map.of())
                        .category())
                .isEqualTo("invalid-config-value");
        assertThat(classify(
                                "Test Case '-[T testX]' exceeded execution time allowance of 1 minute. The test may have hung.\n",
                                Map.of())
                        .category())
                .isEqualTo("test-timeout");
        assertThat(classify(
                                "Gradle build daemon has been stopped: since the JVM garbage collector is thrashing\n",
                                Map.of())
                        .category())
                .isEqualTo("out-of-memory");
        assertThat(classify("The command \"sh build.sh\" exited with 137.\n", Map.of())
                        .category())
                .isEqualTo("out-of-memory");
        assertThat(classify("Error: Input required and not supplied: token\n", Map.of())
                        .category())
                .isEqualTo("missing-env-var");
    }
}
