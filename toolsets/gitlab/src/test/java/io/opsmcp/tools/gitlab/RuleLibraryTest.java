package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.tools.gitlab.analysis.Classification;
import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.analysis.JobFacts;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators' rule files: added without code, validated with errors naming file and rule. */
class RuleLibraryTest {

    @TempDir
    Path dir;

    @Test
    void anOperatorFileAddsACategoryAndARule() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, """
                categories:
                  - id: license-check
                    title: License check failure
                    next_step: {tool: gitlab_job_log, arguments: {project: '{project}', job_id: '{job_id}', grep: '{license}'}}
                rules:
                  - id: forbidden-license
                    category: license-check
                    confidence: 0.97
                    match: ['Forbidden license (?<license>[A-Z0-9.-]+) found']
                """);
        Classifier classifier = new Classifier(RuleLibrary.load(List.of(file)));
        String trace =
                RunnerTrace.of("alpine", List.of("$ license-scan", "Forbidden license AGPL-3.0 found in libfoo"), 1);
        Classification c = ClassifierAccuracyTest.classify(
                classifier, trace, new JobFacts(null, Map.of(), Map.of("project", "shop/x", "job_id", "9")));
        assertThat(c.category()).isEqualTo("license-check");
        assertThat(c.nextStep().arguments().toString())
                .isEqualTo("{\"project\":\"shop/x\",\"job_id\":9,\"grep\":\"AGPL-3.0\"}");
        assertThat(c.evidence()).anyMatch(l -> l.match() && l.text().contains("AGPL-3.0"));
    }

    @Test
    void badRulesAreRejectedWithTheirFileAndId() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(
                file, "rules:\n  - {id: broken, category: disk-full, confidence: 0.5, match: ['(unclosed']}\n");
        assertThatThrownBy(() -> RuleLibrary.load(List.of(file)))
                .hasMessageStartingWith(file + ": rule broken: match[0]: not a valid regular expression");
        Files.writeString(file, "rules:\n  - {id: r, category: nope, confidence: 0.5, match: ['x']}\n");
        assertThatThrownBy(() -> RuleLibrary.load(List.of(file)))
                .hasMessageContaining("rule r: unknown category 'nope'");
        Files.writeString(
                file,
                "rules:\n  - {id: r, category: disk-full, confidence: 0.5, match: ['x'],"
                        + " next_step: {tool: gitlab_job_log, arguments: {grep: '{nothing}'}}}\n");
        assertThatThrownBy(() -> RuleLibrary.load(List.of(file))).hasMessageContaining("next_step uses {nothing}");
    }
}
