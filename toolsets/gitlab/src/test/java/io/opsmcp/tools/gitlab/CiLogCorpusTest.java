package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.gitlab.analysis.Classification;
import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.analysis.JobFacts;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.fixes.FixException;
import io.opsmcp.tools.gitlab.fixes.NpmDependencyFix;
import io.opsmcp.tools.gitlab.fixes.PythonImportResolver;
import io.opsmcp.tools.gitlab.fixes.RepoFiles;
import io.opsmcp.tools.gitlab.fixes.RepoTree;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Issue 14: the built-in failure rules on real failed CI job logs quoted in public issue threads and Q&amp;A pages
 * ({@code src/test/resources/ci-logs}: one excerpt per file with its source, the expected class and why; labelled
 * from the log before the rules were tuned). Prints accuracy and per-class precision/recall, lists every miss, and
 * checks that no fix proposal contradicts the evidence (a package for a module of the repository or of the standard
 * library, or a package other than the labelled one).
 */
class CiLogCorpusTest {

    /** One labelled log. */
    record Log(
            String id,
            String source,
            String expected,
            String reason,
            Set<String> repoModules,
            Set<String> allowedFixes,
            Map<String, String> history,
            String set,
            String text) {}

    static List<Log> load() throws Exception {
        URL index = CiLogCorpusTest.class.getResource("/ci-logs/index.yaml");
        assertThat(index).as("ci-logs/index.yaml on the test class path").isNotNull();
        Path dir = Paths.get(index.toURI()).getParent();
        List<Log> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                out.add(parse(file));
            }
        }
        JsonNode listed = YAMLMapper.builder().build().readTree(Files.readString(dir.resolve("index.yaml")));
        Set<String> ids = new TreeSet<>();
        for (JsonNode e : listed.get("logs")) {
            ids.add(e.get("id").asString());
        }
        assertThat(ids)
                .as("index.yaml lists exactly the *.log files")
                .isEqualTo(new TreeSet<>(out.stream().map(Log::id).toList()));
        return out;
    }

    private static Log parse(Path file) throws Exception {
        String all = Files.readString(file, StandardCharsets.UTF_8);
        int sep = all.indexOf("\n# ---\n");
        assertThat(sep).as(file + " has a '# ---' header separator").isPositive();
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : all.substring(0, sep).split("\n")) {
            int colon = line.indexOf(": ");
            header.put(line.substring(2, colon), line.substring(colon + 2));
        }
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - 4);
        for (String required : List.of("source", "expected", "reason")) {
            assertThat(header).as(id + " header").containsKey(required);
        }
        Set<String> modules = split(header.get("repo_modules"));
        Set<String> fixes = split(header.getOrDefault("fix_package", "none"));
        Map<String, String> history = new LinkedHashMap<>();
        split(header.get("history")).forEach(h -> history.put(h, "labelled: " + h));
        return new Log(
                id,
                header.get("source"),
                header.get("expected"),
                header.get("reason"),
                modules,
                fixes,
                history,
                header.getOrDefault("set", "development"),
                all.substring(sep + 7));
    }

    private static Set<String> split(String v) {
        return v == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(v.split("\\s*[|,]\\s*")));
    }

    static Classification classify(Classifier classifier, Log log) {
        JobFacts facts = new JobFacts(
                null, log.history(), Map.of("project", "acme/app", "pipeline_id", "1", "job_id", "2", "ref", "main"));
        Classifier.Scan scan = classifier.scan(facts);
        TraceReader.read(
                new ByteArrayInputStream(log.text().getBytes(StandardCharsets.UTF_8)),
                Instant.MAX,
                Clock.systemUTC(),
                scan);
        return scan.result();
    }

    /**
     * The package gitlab_propose_fix would add for this classification, or "none", planned by the production code
     * against the repository the thread describes: its own top-level modules ({@code repo_modules}) and no lock
     * or requirements file (the excerpts show none).
     */
    static String proposal(Classification c, Log log) {
        if ("ci_job_timeout".equals(c.fix())) {
            return "ci_job_timeout";
        }
        String name = c.extracted().get("package");
        if (c.fix() == null || name == null) {
            return "none";
        }
        RepoFiles noFiles = path -> Optional.empty();
        RepoTree tree =
                () -> log.repoModules().stream().map(m -> m + "/__init__.py").toList();
        try {
            return switch (c.fix()) {
                case "python_requirement" -> {
                    String d = PythonImportResolver.resolve(name, noFiles, tree).distribution();
                    yield d == null ? "none" : d;
                }
                case "npm_dependency" -> {
                    NpmDependencyFix.plan(noFiles, name, JsonMapper.builder().build());
                    yield name;
                }
                default -> "none";
            };
        } catch (FixException e) {
            return "none";
        }
    }

    @Test
    void accuracyAndNoHarmfulFix() throws Exception {
        List<Log> logs = load();
        assertThat(logs).hasSizeGreaterThanOrEqualTo(150);
        Classifier classifier = new Classifier(RuleLibrary.builtIn());
        Map<String, int[]> counts = new LinkedHashMap<>(); // tp, fp, fn
        int correct = 0;
        Map<String, int[]> perSet = new java.util.TreeMap<>(); // correct, total
        List<String> misses = new ArrayList<>();
        List<String> harmful = new ArrayList<>();
        for (Log log : logs) {
            Classification c = classify(classifier, log);
            String got = c.category();
            counts.computeIfAbsent(log.expected(), k -> new int[3]);
            counts.computeIfAbsent(got, k -> new int[3]);
            int[] set = perSet.computeIfAbsent(log.set(), k -> new int[2]);
            set[1]++;
            if (got.equals(log.expected())) {
                correct++;
                set[0]++;
                counts.get(got)[0]++;
            } else {
                counts.get(got)[1]++;
                counts.get(log.expected())[2]++;
                misses.add("[" + log.set() + "] " + log.id() + ": expected " + log.expected() + ", got " + got + " ("
                        + log.reason() + ")");
            }
            String proposed = proposal(c, log);
            if (!log.allowedFixes().contains(proposed)) {
                harmful.add(log.id() + ": would propose " + proposed + ", allowed " + log.allowedFixes());
            }
        }
        StringBuilder table = new StringBuilder(
                String.format("%-28s %4s %4s %4s %9s %7s%n", "class", "tp", "fp", "fn", "precision", "recall"));
        for (String c : new TreeSet<>(counts.keySet())) {
            int[] n = counts.get(c);
            double precision = n[0] + n[1] == 0 ? 1 : (double) n[0] / (n[0] + n[1]);
            double recall = n[0] + n[2] == 0 ? 1 : (double) n[0] / (n[0] + n[2]);
            table.append(String.format("%-28s %4d %4d %4d %9.2f %7.2f%n", c, n[0], n[1], n[2], precision, recall));
        }
        double accuracy = (double) correct / logs.size();
        table.append(String.format("accuracy %d/%d = %.3f%n", correct, logs.size(), accuracy));
        perSet.forEach((name, n) -> table.append(String.format("  %s %d/%d%n", name, n[0], n[1])));
        misses.forEach(m -> table.append("miss: ").append(m).append('\n'));
        harmful.forEach(h -> table.append("harmful fix: ").append(h).append('\n'));
        System.out.println(table);
        assertThat(harmful).as(table.toString()).isEmpty();
        assertThat(accuracy).as(table.toString()).isGreaterThanOrEqualTo(0.9);
    }
}
