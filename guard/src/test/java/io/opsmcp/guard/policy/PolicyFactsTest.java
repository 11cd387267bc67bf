package io.opsmcp.guard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool's policy facts ({@link ActionDescriptor#facts()}, e.g. host_exec's {@code command_class}) reach the policy as
 * {@code input.facts}, and only from the descriptor: a caller who sends an argument of the same name states nothing.
 */
class PolicyFactsTest {

    private static final EmbeddedPolicyEngine ENGINE = EmbeddedPolicyEngine.defaultBundle();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    /** host_exec on a prod host; the caller also sends {@code command_class: read} as an argument. */
    private static CallFacts hostExec(Map<String, String> toolFacts) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("host", "web-1").put("command", "rm -rf /var/cache/app").put("command_class", "read");
        ActionDescriptor action = new ActionDescriptor(
                "host",
                "host",
                "prod",
                "web-1",
                Map.of("address", "127.0.0.1", "host_group", "prod-web"),
                new ChangePreview("run `rm -rf /var/cache/app` on web-1", null, null),
                toolFacts);
        return new CallFacts(
                new Principal("alice", Set.of("sre"), "api-key"),
                "req-1",
                "host_exec",
                "hosts",
                false,
                false,
                false,
                args,
                args,
                action,
                null,
                Instant.parse("2026-12-04T10:00:00Z"),
                null);
    }

    @Test
    void theToolsCommandClassReachesThePolicyAsAFact() {
        ObjectNode input = PolicyInput.build(hostExec(Map.of("command_class", "destructive")), null, Map.of(), 0, 0);
        assertThat(input.at("/facts/command_class").asString()).isEqualTo("destructive");
        Decision d = ENGINE.decide(input);
        assertThat(d).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(((Decision.NeedsApproval) d).requirement().minApprovals()).isEqualTo(2);
        assertThat(d.reasons()).anyMatch(r -> r.contains("the command is classed destructive"));
    }

    @Test
    void anArgumentOfTheSameNameIsNotAFact() {
        ObjectNode input = PolicyInput.build(hostExec(Map.of()), null, Map.of(), 0, 0);
        assertThat(input.get("facts").isEmpty()).isTrue();
        assertThat(input.at("/args/command_class").asString()).isEqualTo("read");
        Decision d = ENGINE.decide(input);
        assertThat(d.reasons()).noneMatch(r -> r.contains("classed"));
    }
}
