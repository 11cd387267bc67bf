package io.opsmcp.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.guard.audit.RecordingAuditStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What a caller sees of alerts is what the policy lets it read of their resources. */
class AlertsToolsetTest {

    private static final Principal VIEWER = new Principal("vera", Set.of("viewer"), "api-key");
    private static final Principal SRE = new Principal("alice", Set.of("sre"), "api-key");

    private final RecordingAuditStore audit = new RecordingAuditStore();
    private final AlertService alerts =
            new AlertService(AlertStore.inMemory(), audit, AlertSettings.NONE, Clock.systemUTC());
    /** The stand-in policy: the viewer reads only the dev cluster's services. */
    private final AlertsToolset toolset =
            new AlertsToolset(alerts, (p, d) -> p == SRE || "dev".equals(d.ids().get("cluster")));

    private static AlertReport on(String cluster, String service) {
        return new AlertReport(
                Alert.Source.ALERTMANAGER,
                cluster + "/" + service,
                "ServiceDown",
                Alert.Status.FIRING,
                "critical",
                null,
                Map.of(),
                new ResourceMapping(Map.of()).ecsService(Map.of(), cluster, service),
                Instant.now(),
                null);
    }

    private OpsTool tool(String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theListAndTheActiveResourceLeaveOutAlertsOnResourcesTheCallerMayNotRead() {
        alerts.ingest("/hooks/alertmanager", List.of(on("prod", "checkout"), on("dev", "checkout")), 0);
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        var forViewer = tool("alerts_list")
                .execute(args, new ToolContext(VIEWER, "1", Instant.now().plusSeconds(5), null, null));
        assertThat(forViewer.structuredContent().path("count").asInt()).isEqualTo(1);
        assertThat(forViewer.text()).contains("dev/checkout").doesNotContain("prod/");
        var forSre = tool("alerts_list")
                .execute(args, new ToolContext(SRE, "2", Instant.now().plusSeconds(5), null, null));
        assertThat(forSre.structuredContent().path("count").asInt()).isEqualTo(2);

        ResourceContent active = toolset.resources()
                .get(0)
                .read(VIEWER, d -> "dev".equals(d.ids().get("cluster")));
        assertThat(active.text()).contains("\"cluster\":\"dev\"").doesNotContain("\"cluster\":\"prod\"");
    }

    @Test
    void alertGetIsDecidedOnTheAlertsOwnResource() {
        String id = alerts.ingest("/hooks/alertmanager", List.of(on("prod", "checkout")), 0)
                .ids()
                .get(0);
        ActionDescriptor d = tool("alert_get")
                .describe(
                        JsonNodeFactory.instance.objectNode().put("id", id),
                        new ToolContext(VIEWER, "3", Instant.now().plusSeconds(5), null, null));
        assertThat(d.provider()).isEqualTo("aws");
        assertThat(d.kind()).isEqualTo("ecs:service");
        assertThat(d.name()).isEqualTo("checkout");
        assertThat(d.ids()).containsEntry("cluster", "prod");
        assertThat(toolset.resourceTemplates().get(0).reveals("ops://alerts/" + id, Map.of("id", id)))
                .isEqualTo(d);
        var detail = tool("alert_get")
                .execute(
                        JsonNodeFactory.instance.objectNode().put("id", id),
                        new ToolContext(SRE, "4", Instant.now().plusSeconds(5), null, null));
        assertThat(detail.structuredContent()
                        .path("suggested")
                        .get(0)
                        .path("tool")
                        .asString())
                .isEqualTo("ecs_troubleshoot");
    }
}
