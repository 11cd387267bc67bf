package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.ecs.troubleshoot.Troubleshooting;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ecs_troubleshoot} on the scenario corpus ({@code src/test/resources/ecs-scenarios/}, sources in each file's
 * {@code source}), served over HTTP by {@link ScenarioAws} and read by the real SDK clients. Each scenario was
 * labelled with its expected top category before the troubleshooter was tuned. Prints every miss and the accuracy;
 * asserts ≥ 95 % top-category accuracy and no harmful remediation: every suggested change names the failing
 * container, and a memory change needs out-of-memory evidence in the scenario.
 */
class EcsScenarioCorpusTest {

    static ScenarioAws aws;
    static AwsToolset toolset;
    static JsonNode base;

    @BeforeAll
    static void start() throws IOException {
        aws = new ScenarioAws();
        toolset = Fixtures.toolset(aws.settings(), List.of());
        try (InputStream in = EcsScenarioCorpusTest.class.getResourceAsStream("/ecs-scenarios/_base.json")) {
            base = ScenarioAws.JSON.readTree(in);
        }
    }

    @AfterAll
    static void stop() {
        toolset.close();
        aws.close();
    }

    static List<Path> scenarios() throws IOException, URISyntaxException {
        Path dir = Paths.get(EcsScenarioCorpusTest.class
                        .getResource("/ecs-scenarios/_base.json")
                        .toURI())
                .getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList();
        }
    }

    /** Serves one scenario and runs ecs_troubleshoot on it. */
    static JsonNode run(ObjectNode scenario) {
        aws.serve(scenario);
        String service = scenario.get("service").get("serviceName").asString();
        ToolResult r =
                Fixtures.call(toolset, "ecs_troubleshoot", "{\"cluster\":\"prod\",\"service\":\"" + service + "\"}");
        assertThat(r.error()).as("ecs_troubleshoot must not fail: %s", r.text()).isFalse();
        return r.structuredContent();
    }

    static ObjectNode load(Path p) throws IOException {
        return ScenarioAws.load(base, ScenarioAws.JSON.readTree(p.toFile()), Instant.now());
    }

    /** Why a remediation is harmful for this scenario, or null. */
    static String harm(JsonNode label, JsonNode finding) {
        JsonNode r = finding.get("remediation");
        if (r == null || r.isNull() || !r.hasNonNull("tool")) {
            return null;
        }
        JsonNode args = r.get("arguments");
        String tool = r.get("tool").asString();
        if (args != null && args.has("container")) {
            String want = label.path("failing_container").asString(null);
            if (want == null || !want.equals(args.get("container").asString())) {
                return tool + " targets container " + args.get("container").asString() + " but the failing one is "
                        + want;
            }
        }
        if ("ecs_update_task_resources".equals(tool)
                && args != null
                && args.has("memory")
                && !label.path("memory_evidence").asBoolean(false)) {
            return "memory change without out-of-memory evidence";
        }
        return null;
    }

    @Test
    void topCategoryAccuracyAndNoHarmfulRemediation() throws Exception {
        List<Path> files = scenarios();
        assertThat(files).hasSizeGreaterThanOrEqualTo(60);
        int right = 0;
        int[] holdout = new int[2];
        List<String> misses = new ArrayList<>();
        List<String> harms = new ArrayList<>();
        Map<String, int[]> perClass = new TreeMap<>();
        for (Path p : files) {
            ObjectNode sc = load(p);
            JsonNode label = sc.get("label");
            assertThat(sc.path("source").asString(""))
                    .as("%s names its source", p)
                    .isNotBlank();
            String want = label.get("top").asString();
            JsonNode out;
            try {
                out = run(sc);
            } catch (RuntimeException | AssertionError e) {
                // the troubleshooter crashed or returned an error: a miss, listed as such
                misses.add(p.getFileName() + ": expected " + want + ", got CRASH "
                        + e.getMessage().lines().findFirst().orElse(""));
                perClass.computeIfAbsent(want, k -> new int[2])[1]++;
                continue;
            }
            String got = out.get("findings").isEmpty()
                    ? "none"
                    : out.get("findings").get(0).get("category").asString();
            int[] pc = perClass.computeIfAbsent(want, k -> new int[2]);
            pc[1]++;
            if (sc.path("holdout").asBoolean(false)) {
                holdout[1]++;
                holdout[0] += want.equals(got) ? 1 : 0;
            }
            if (want.equals(got)) {
                right++;
                pc[0]++;
            } else {
                misses.add(p.getFileName() + ": expected " + want + ", got " + got + " — "
                        + out.get("findings").path(0).path("title").asString(""));
            }
            out.get("checks").properties().forEach(e -> {
                if (!"ok".equals(e.getValue().asString())) {
                    System.out.println("  CHECK " + p.getFileName() + ": " + e.getKey() + ": "
                            + e.getValue().asString());
                }
            });
            if (System.getenv("CORPUS_VERBOSE") != null) {
                System.out.println("---- " + p.getFileName() + "\n" + Troubleshooting.text((ObjectNode) out));
            }
            for (JsonNode f : out.get("findings")) {
                String h = harm(label, f);
                if (h != null) {
                    harms.add(p.getFileName() + ": " + f.get("category").asString() + ": " + h);
                }
            }
        }
        double accuracy = 100.0 * right / files.size();
        System.out.printf(
                "ECS scenario corpus: %d/%d top category right (%.1f %%), %d harmful remediation(s)%n",
                right, files.size(), accuracy, harms.size());
        System.out.printf(
                "  of which held out (written after tuning, labelled before running): %d/%d%n", holdout[0], holdout[1]);
        perClass.forEach((k, v) -> System.out.printf("  %-24s %d/%d%n", k, v[0], v[1]));
        misses.forEach(m -> System.out.println("  MISS " + m));
        harms.forEach(h -> System.out.println("  HARM " + h));
        assertThat(harms).isEmpty();
        assertThat(accuracy).isGreaterThanOrEqualTo(95.0);
    }

    /** One troubleshoot fetches each thing once: counted at the HTTP stub, per operation. */
    @Test
    void oneTroubleshootFetchesEachThingOnce() throws Exception {
        Path p = scenarios().stream()
                .filter(x -> x.getFileName().toString().equals("oom-reason-container-limit.json"))
                .findFirst()
                .orElseThrow();
        run(load(p));
        Map<String, Integer> counts = aws.counts();
        System.out.println("requests per troubleshoot (" + p.getFileName() + "): " + counts + ", total "
                + counts.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(counts.get("DescribeServices")).isEqualTo(1);
        assertThat(counts.get("DescribeTaskDefinition")).isEqualTo(1);
        assertThat(counts.get("DescribeTargetGroups")).isEqualTo(1);
        assertThat(counts.values()).allMatch(n -> n <= 2);
    }

    /**
     * Checks fail alone: logs denied, metrics denied, security groups and ECR failing, and a target-health answer
     * the health check does not expect (a RuntimeException inside it) — the call still succeeds, each lost check
     * is a check_failed finding, and the stopped-task evidence still ranks out of memory first.
     */
    @Test
    void everyCheckFailsAlone() throws Exception {
        Path p = scenarios().stream()
                .filter(x -> x.getFileName().toString().equals("oom-reason-container-limit.json"))
                .findFirst()
                .orElseThrow();
        ObjectNode sc = load(p);
        sc.putObject("fail")
                .put("FilterLogEvents", "denied")
                .put("GetMetricData", "denied")
                .put("DescribeSecurityGroups", "500")
                .put("DescribeImages", "denied")
                .put("DescribeTargetHealth", "targetless");
        JsonNode out = run(sc);
        System.out.println(Troubleshooting.text((ObjectNode) out));
        JsonNode checks = out.get("checks");
        for (String name : List.of("logs", "metrics", "network", "ecr_images", "health")) {
            assertThat(checks.get(name).asString()).as(name).startsWith("failed: ");
        }
        assertThat(checks.get("health").asString())
                .contains("internal error in this check")
                .doesNotContain("at io.");
        assertThat(checks.get("logs").asString()).contains("logs:FilterLogEvents");
        assertThat(checks.get("task_failures").asString()).isEqualTo("ok");
        assertThat(out.get("findings").get(0).get("category").asString()).isEqualTo("out_of_memory");
        assertThat(Fixtures.names(out.get("findings"), "category")).contains("check_failed");
    }

    /** ecs_task_failures without a service: the cluster-wide view names every service that fails the same way. */
    @Test
    void clusterWideStoppedTaskView() throws Exception {
        Path p = scenarios().stream()
                .filter(x -> x.getFileName().toString().equals("eni-timeout-cluster-wide.json"))
                .findFirst()
                .orElseThrow();
        aws.serve(load(p));
        ToolResult r = Fixtures.call(toolset, "ecs_task_failures", "{\"cluster\":\"prod\"}");
        System.out.println(r.text());
        assertThat(r.error()).isFalse();
        JsonNode cls = r.structuredContent().get("classes").get(0);
        assertThat(cls.get("class").asString()).isEqualTo("eni_provisioning");
        assertThat(cls.get("count").asInt()).isEqualTo(6);
        assertThat(cls.get("groups").size()).isEqualTo(2);
        assertThat(cls.get("groups").toString()).contains("service:web").contains("service:worker");
        assertThat(r.structuredContent().has("service")).isFalse(); // cluster-wide: no service, absent (never null)
    }
}
