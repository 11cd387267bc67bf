package io.opsmcp.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ShippedRead;
import io.opsmcp.core.tool.ToolException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class PromptsTest {

    /** Tools the prompts may name: the published names of the aws, gitlab, hosts, runbooks toolsets and the guard. */
    static final Set<String> KNOWN_TOOLS = Set.of(
            "ecs_troubleshoot",
            "ecs_service_health",
            "ecs_task_failures",
            "ecs_logs",
            "ecs_metrics",
            "ecs_network",
            "ecs_task_definition",
            "elb_health_check",
            "ecs_rollback_service",
            "ecs_update_task_resources",
            "ecs_update_health_check_grace_period",
            "ecs_force_new_deployment",
            "ecs_scale_service",
            "gitlab_pipelines",
            "gitlab_pipeline",
            "gitlab_pipeline_failure_analysis",
            "gitlab_job_log",
            "gitlab_compare",
            "gitlab_commits",
            "gitlab_retry_job",
            "gitlab_propose_fix",
            "host_list",
            "host_uptime_load",
            "host_memory",
            "host_disk_usage",
            "host_top_processes",
            "host_kernel_messages",
            "host_service_status",
            "host_journal",
            "host_listening_ports",
            "host_http_probe",
            "host_certificate_expiry",
            "host_dns_lookup",
            "host_tail_file",
            "host_docker_ps",
            "host_nginx_config_test",
            "host_service_restart",
            "host_service_reload",
            "host_exec",
            "runbook_search",
            "runbook_get",
            "approval_status");

    static Map<String, OpsPrompt> prompts = new HashMap<>();

    @BeforeAll
    static void load() {
        OpsToolsetProvider provider = ServiceLoader.load(OpsToolsetProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("prompts"))
                .findFirst()
                .orElseThrow();
        assertThat(provider.alwaysEnabled()).isTrue();
        OpsToolset toolset = provider.create(JsonNodeFactory.instance.objectNode(), Path.of("."));
        assertThat(toolset.tools()).isEmpty();
        toolset.prompts().forEach(p -> prompts.put(p.definition().name(), p));
    }

    static String render(String name, Map<String, String> args) {
        List<OpsPrompt.Message> messages = prompts.get(name).render(args);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).role()).isEqualTo("user");
        return messages.get(0).text();
    }

    @Test
    void theShippedPromptsAreReadOnceAndAFailedReadFailsEveryCreateNeverLeavingNoPrompts() {
        assertThat(PromptLoader.shipped()).isSameAs(PromptLoader.shipped()).hasSize(5);
        new PromptToolsetProvider().prepare(); // the start-up thread's read: changes nothing create sees
        assertThat(new PromptToolsetProvider()
                        .create(JsonNodeFactory.instance.objectNode(), Path.of("."))
                        .prompts())
                .containsExactlyElementsOf(PromptLoader.shipped());

        ShippedRead<List<FilePrompt>> bad =
                ShippedRead.of(() -> List.of(new PromptLoader().parse("no front matter", "bad.md")));
        assertThatThrownBy(bad::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad.md: must start with YAML front matter between --- lines");
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(bad::get);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(bad::get)).isSameAs(first);
    }

    @Test
    void theFivePromptsWithTheirArguments() {
        assertThat(prompts)
                .containsOnlyKeys(
                        "troubleshoot_ecs_service",
                        "triage_failed_pipeline",
                        "investigate_host",
                        "incident_summary",
                        "remediation_plan");
        assertThat(prompts.get("troubleshoot_ecs_service").definition().arguments())
                .extracting(OpsPrompt.Argument::name, OpsPrompt.Argument::required)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("account", false),
                        org.assertj.core.groups.Tuple.tuple("cluster", true),
                        org.assertj.core.groups.Tuple.tuple("service", true));
        assertThat(prompts.get("triage_failed_pipeline").definition().arguments())
                .extracting(OpsPrompt.Argument::name)
                .containsExactly("project", "pipeline_id");
        assertThat(prompts.get("investigate_host").definition().arguments())
                .extracting(OpsPrompt.Argument::name)
                .containsExactly("host", "symptom");
        assertThat(prompts.get("incident_summary").definition().arguments())
                .extracting(OpsPrompt.Argument::name)
                .containsExactly("since");
        assertThat(prompts.get("remediation_plan").definition().arguments())
                .extracting(OpsPrompt.Argument::name)
                .containsExactly("finding");
    }

    @Test
    void optionalSectionsFollowTheArguments() {
        String without = render("troubleshoot_ecs_service", Map.of("cluster", "shop", "service", "checkout"));
        assertThat(without)
                .contains("`checkout` in cluster `shop`")
                .doesNotContain("account")
                .doesNotContain("{{");
        String with =
                render("troubleshoot_ecs_service", Map.of("cluster", "shop", "service", "checkout", "account", "prod"));
        assertThat(with).contains("(AWS account `prod`)").contains("passing `account: prod` to each AWS tool");

        assertThat(render("triage_failed_pipeline", Map.of("project", "team/app", "pipeline_id", "4711")))
                .contains("pipeline `4711`")
                .contains("pipeline_id `4711`")
                .doesNotContain("latest failed");
        assertThat(render("triage_failed_pipeline", Map.of("project", "team/app")))
                .contains("latest failed one on the default branch")
                .contains("`gitlab_pipelines` for `team/app`");

        assertThat(render("investigate_host", Map.of("host", "web-1", "symptom", "nginx returns 502")))
                .contains("Reported symptom: nginx returns 502");
        assertThat(render("investigate_host", Map.of("host", "web-1", "symptom", "  ")))
                .contains("No symptom was given");
        assertThat(render("incident_summary", Map.of()))
                .contains("the last 24 hours")
                .contains("ops://audit/recent");
        assertThat(render("incident_summary", Map.of("since", "2h"))).contains("the period since 2h");
    }

    @Test
    void missingOrUnknownArgumentsAreInvalid() {
        assertThatThrownBy(() -> prompts.get("troubleshoot_ecs_service").render(Map.of("service", "checkout")))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("cluster: is required by troubleshoot_ecs_service")
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> prompts.get("remediation_plan").render(Map.of("finding", "")))
                .hasMessageStartingWith("finding: is required");
        assertThatThrownBy(() -> prompts.get("investigate_host").render(Map.of("host", "a", "hots", "b")))
                .hasMessageStartingWith("hots: unknown argument; investigate_host takes [host, symptom]");
        assertThatThrownBy(() -> prompts.get("investigate_host").render(Map.of("host", "a\u0000b")))
                .hasMessageStartingWith("host: must not contain control characters");
    }

    @Test
    void promptsNameRealToolsAndExplainDryRunsAndApprovals() {
        Map<String, Map<String, String>> args = Map.of(
                "troubleshoot_ecs_service", Map.of("cluster", "c", "service", "s"),
                "triage_failed_pipeline", Map.of("project", "p"),
                "investigate_host", Map.of("host", "h"),
                "incident_summary", Map.of(),
                "remediation_plan", Map.of("finding", "f"));
        Pattern tool = Pattern.compile("`((?:ecs|elb|gitlab|host|runbook)_[a-z_]+|approval_status)");
        Set<String> named = new TreeSet<>();
        args.forEach((name, a) -> {
            String text = render(name, a);
            Matcher m = tool.matcher(text);
            while (m.find()) {
                named.add(m.group(1));
            }
            assertThat(text).as(name).contains("runbook_search");
            if (!name.equals("incident_summary")) {
                assertThat(text)
                        .as(name)
                        .contains("dry_run: true")
                        .contains("ops-mcp approvals approve ID")
                        .contains("approval_status")
                        .contains("ops://approvals/{id}")
                        .contains("approval_id");
            }
        });
        assertThat(KNOWN_TOOLS).containsAll(named);
        assertThat(named).contains("ecs_troubleshoot", "gitlab_pipeline_failure_analysis", "host_service_status");
    }

    @Test
    void ownCompletionsOnlyWhereThePromptSuggestsValues() {
        assertThat(prompts.get("incident_summary").complete("since", "2")).containsExactly("2h", "24h");
        // no suggestions: the server falls back to the toolsets' completions (clusters, hosts, projects)
        assertThat(prompts.get("troubleshoot_ecs_service").complete("cluster", ""))
                .isEmpty();
    }
}
