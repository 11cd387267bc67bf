package io.opsmcp.tools.gitlab.fixes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Raising a job's timeout in .gitlab-ci.yml as a text edit. */
class CiJobTimeoutFixTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static FileChange plan(String yaml, String job, String observed) {
        return CiJobTimeoutFix.plan(
                path -> path.equals(".gitlab-ci.yml") ? Optional.of(yaml) : Optional.empty(), job, observed, YAML);
    }

    @Test
    void addsTimeoutAtTheJobsIndentAndKeepsEverythingElseByteForByte() {
        String yaml = ".base: &base\r\n    image: python\r\n\r\nslow:\r\n    <<: *base\r\n    script:\r\n"
                + "        - !reference [.setup, script]\r\n        - make e2e\r\n# next job\r\nfast:\r\n    script: [true]\r\n";
        FileChange c = plan(yaml, "slow 2/3", "1h0m0s");
        assertThat(c.after()).isEqualTo(yaml.replace("- make e2e\r\n", "- make e2e\r\n    timeout: 2h\r\n"));
    }

    @Test
    void doublingIsCappedAtFourHours() {
        FileChange c = plan("e2e:\n  timeout: \"3 hours\"\n  script: [make]\n", "e2e", "3h0m0s");
        assertThat(c.after()).isEqualTo("e2e:\n  timeout: \"4h\"\n  script: [make]\n");
        assertThat(c.note()).contains("capped at 4h");
        assertThatThrownBy(() -> plan("e2e:\n  timeout: 4h\n  script: [make]\n", "e2e", "4h0m0s"))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("at or above the 4h");
    }

    @Test
    void aJobStoppedBelowItsOwnTimeoutPointsAtTheRunnerLimit() {
        assertThatThrownBy(() -> plan("e2e:\n  timeout: 3h\n  script: [make]\n", "e2e", "1h0m0s"))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("runner's maximum job timeout");
    }

    @Test
    void aJobNotDefinedInTheFileIsRefused() {
        assertThatThrownBy(() -> plan("include: [ci/e2e.yml]\nlint:\n  script: [ruff]\n", "e2e", "1h0m0s"))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("no job e2e at its top level");
        assertThatThrownBy(() -> plan("e2e: {script: [make]}\n", "e2e", "1h0m0s"))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("not a block mapping");
    }

    @Test
    void readsRunnerAndKeywordDurations() {
        assertThat(CiJobTimeoutFix.goDuration("1h30m0s")).isEqualTo(Duration.ofMinutes(90));
        assertThat(CiJobTimeoutFix.goDuration("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(CiJobTimeoutFix.gitlabDuration("1h 30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(CiJobTimeoutFix.gitlabDuration("2 hours and 10 minutes")).isEqualTo(Duration.ofMinutes(130));
        assertThat(CiJobTimeoutFix.format(Duration.ofMinutes(90))).isEqualTo("1h 30m");
        assertThatThrownBy(() -> CiJobTimeoutFix.gitlabDuration("soon")).isInstanceOf(FixException.class);
    }
}
