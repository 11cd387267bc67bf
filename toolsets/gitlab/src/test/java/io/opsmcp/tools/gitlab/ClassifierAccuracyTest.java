package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.gitlab.analysis.Classification;
import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.analysis.JobFacts;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Issue 6, acceptance 2: the built-in rule library on a labelled set of traces
 * ({@code src/test/resources/labelled-traces.yaml}); prints per-class precision and recall.
 */
class ClassifierAccuracyTest {

    record Labelled(String id, String expected, String trace, JobFacts facts) {}

    static List<Labelled> load() throws Exception {
        List<Labelled> out = new ArrayList<>();
        try (InputStream in = ClassifierAccuracyTest.class.getResourceAsStream("/labelled-traces.yaml")) {
            JsonNode list = YAMLMapper.builder().build().readTree(in);
            for (JsonNode e : list) {
                Integer exit = e.get("exit").isNull() ? null : e.get("exit").asInt();
                List<String> body = e.get("body").asString().lines().toList();
                Map<String, String> history = new LinkedHashMap<>();
                if (e.has("history")) {
                    e.get("history").forEach(h -> history.put(h.asString(), "labelled: " + h.asString()));
                }
                JobFacts facts = new JobFacts(
                        e.path("failure_reason").asString(null),
                        history,
                        Map.of("project", "acme/app", "pipeline_id", "1", "job_id", "2", "ref", "main"));
                out.add(new Labelled(
                        e.get("id").asString(),
                        e.get("category").asString(),
                        RunnerTrace.of(e.get("image").asString(), body, exit),
                        facts));
            }
        }
        return out;
    }

    static Classification classify(Classifier classifier, String trace, JobFacts facts) {
        Classifier.Scan scan = classifier.scan(facts);
        TraceReader.read(
                new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), Instant.MAX, Clock.systemUTC(), scan);
        return scan.result();
    }

    @Test
    void perClassPrecisionAndRecall() throws Exception {
        List<Labelled> set = load();
        assertThat(set).hasSizeGreaterThanOrEqualTo(40);
        Classifier classifier = new Classifier(RuleLibrary.builtIn());
        Map<String, int[]> counts = new LinkedHashMap<>(); // tp, fp, fn
        int correct = 0;
        List<String> misses = new ArrayList<>();
        for (Labelled l : set) {
            String got = classify(classifier, l.trace(), l.facts()).category();
            counts.computeIfAbsent(l.expected(), k -> new int[3]);
            counts.computeIfAbsent(got, k -> new int[3]);
            if (got.equals(l.expected())) {
                correct++;
                counts.get(got)[0]++;
            } else {
                counts.get(got)[1]++;
                counts.get(l.expected())[2]++;
                misses.add(l.id() + ": expected " + l.expected() + ", got " + got);
            }
        }
        StringBuilder table = new StringBuilder(
                String.format("%-28s %4s %4s %4s %9s %7s%n", "class", "tp", "fp", "fn", "precision", "recall"));
        double minPrecision = 1;
        double minRecall = 1;
        for (String c : new TreeSet<>(counts.keySet())) {
            int[] n = counts.get(c);
            double precision = n[0] + n[1] == 0 ? 1 : (double) n[0] / (n[0] + n[1]);
            double recall = n[0] + n[2] == 0 ? 1 : (double) n[0] / (n[0] + n[2]);
            minPrecision = Math.min(minPrecision, precision);
            minRecall = Math.min(minRecall, recall);
            table.append(String.format("%-28s %4d %4d %4d %9.2f %7.2f%n", c, n[0], n[1], n[2], precision, recall));
        }
        double accuracy = (double) correct / set.size();
        table.append(String.format("accuracy %d/%d = %.3f%n", correct, set.size(), accuracy));
        misses.forEach(m -> table.append("miss: ").append(m).append('\n'));
        System.out.println(table);
        assertThat(accuracy).as(table.toString()).isGreaterThanOrEqualTo(0.9);
        assertThat(minPrecision).as(table.toString()).isGreaterThanOrEqualTo(0.66);
        assertThat(minRecall).as(table.toString()).isGreaterThanOrEqualTo(0.66);
    }
}
